package live.cascade.api.ops;

import live.cascade.db.Database;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code "database"}: a {@code SELECT 1}. Without it there are no logins, stream keys or records, so nothing new
 * starts; a pool whose connections are all in use is busy (degraded), not down.
 */
public final class DatabaseReadiness implements ReadinessComponent {
    /** Slower than this and requests that read the database feel it; the node still serves. */
    static final Duration SLOW = Duration.ofSeconds(1);

    private final Database db;

    public DatabaseReadiness(Database db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean neededForNewSessions() {
        return true;
    }

    @Override
    public Readiness check() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", db.kind());
        try {
            Duration took = db.ping();
            d.put("latencyMs", took.toMillis());
            if (took.compareTo(SLOW) > 0) {
                return new Readiness.Degraded("The database answers, slowly (" + took.toMillis() + " ms for SELECT 1).", d);
            }
            return new Readiness.Ok("The database answers SELECT 1.", d);
        } catch (RuntimeException e) {
            // Every connection taken by other requests is a busy node, which a load balancer must not eject.
            Database.PoolState pool = db.poolState();
            if (pool.exhausted()) {
                d.put("activeConnections", pool.active());
                d.put("waiting", pool.waiting());
                return new Readiness.Degraded("Busy: all " + pool.max() + " database connections are in use and " + pool.waiting()
                        + " request(s) wait for one (raise --db-pool-size if the database has room).", d);
            }
            return new Readiness.Down("The database does not answer: " + e.getMessage(), d);
        }
    }
}
