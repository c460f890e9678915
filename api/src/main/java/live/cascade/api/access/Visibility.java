package live.cascade.api.access;

import java.util.Locale;
import java.util.Optional;

/** Who finds and who plays a channel. */
public enum Visibility {
    /** Listed in the directory and search; anyone plays it. */
    PUBLIC,
    /** Left out of the directory and search; anyone with the link plays it. */
    UNLISTED,
    /** Left out of the directory and search; playback needs a viewer token. */
    PRIVATE;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Visibility> parse(String value) {
        if (value == null) return Optional.empty();
        for (Visibility v : values()) if (v.dbValue().equals(value.strip().toLowerCase(Locale.ROOT))) return Optional.of(v);
        return Optional.empty();
    }
}
