package live.cascade.api.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an API token may do on the REST API: {@code read} (GET), {@code stream} (changes to the owner's channels,
 * stream keys, recordings, profile), {@code moderate} (bans, moderators, reports, chat moderation) and {@code admin}
 * (site administration, and only for an administrator's token). A login session has them all.
 */
public enum Scope {
    READ, STREAM, MODERATE, ADMIN;

    public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> of(String label) {
        for (Scope s : values()) if (s.label().equals(label)) return Optional.of(s);
        return Optional.empty();
    }
}
