package live.cascade.signaling.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=} line: {@code a=name} (a property, {@code value} null) or {@code a=name:value}.
 * The value is kept exactly as written (only trailing blanks removed), so unknown attributes survive a round trip.
 */
public record Attribute(String name, String value) {
    public Attribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("attribute name is empty");
        if (name.indexOf(':') >= 0) throw new IllegalArgumentException("attribute name contains ':': " + name);
        if (Text.hasLineBreak(name) || Text.endsWithBlank(name)) {
            throw new IllegalArgumentException("attribute name contains a line break or ends in a blank");
        }
        if (value != null && (Text.hasLineBreak(value) || Text.endsWithBlank(value))) {
            throw new IllegalArgumentException("attribute value contains a line break or ends in a blank");
        }
    }

    /** A property attribute such as {@code a=rtcp-mux}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    public boolean isFlag() {
        return value == null;
    }

    /** The value, or empty for a property attribute. */
    public Optional<String> optionalValue() {
        return Optional.ofNullable(value);
    }

    /** The value, or {@code ""} for a property attribute. */
    public String valueOrEmpty() {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return value == null ? "a=" + name : "a=" + name + ":" + value;
    }
}
