package live.cascade.api.ops;

import java.util.Map;

/**
 * One component {@code /healthz} reports besides the database. A component that is {@code DOWN} makes the node
 * {@code degraded} (still 200: it serves, with less), unlike the database, without which it serves nothing (503).
 */
public interface HealthIndicator {
    String name();

    Check check();

    enum Status { UP, DOWN, DISABLED }

    /** {@code details} go into the component's JSON object beside its status. */
    record Check(Status status, Map<String, Object> details) {
    }
}
