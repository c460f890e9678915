package live.cascade.api.ops;

import java.util.Map;

/**
 * What one component of a node says about itself in {@code /readyz}: the closed set ok, degraded, down, each with a
 * sentence a person can act on and details (numbers, addresses) that go beside it in the JSON object.
 */
public sealed interface Readiness {
    String reason();

    Map<String, Object> details();

    /** The word the JSON carries: {@code ok}, {@code degraded} or {@code down}. */
    default String word() {
        return switch (this) {
            case Ok ok -> "ok";
            case Degraded d -> "degraded";
            case Down d -> "down";
        };
    }

    record Ok(String reason, Map<String, Object> details) implements Readiness {
        public Ok {
            details = frozen(details);
        }
    }

    /** Working with less: busy, or a part that is not needed to take new sessions is away. */
    record Degraded(String reason, Map<String, Object> details) implements Readiness {
        public Degraded {
            details = frozen(details);
        }
    }

    record Down(String reason, Map<String, Object> details) implements Readiness {
        public Down {
            details = frozen(details);
        }
    }

    static Readiness ok(String reason) {
        return new Ok(reason, Map.of());
    }

    /** In the order given (the JSON keeps it); a detail may be null when it could not be measured. */
    private static Map<String, Object> frozen(Map<String, Object> details) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
