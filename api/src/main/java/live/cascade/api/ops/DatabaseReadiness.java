package live.cascade.api.ops;

import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.db.Database;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code "database"}: a {@code SELECT 1}. Without it there are no logins, stream keys or records, so nothing new
 * starts; a pool whose connections are all in use is busy (degraded), not down. Beside it, the write queue: how many
 * writes wait for the database (they are retried until it is back) and how many were dropped because it was full.
 */
public final class DatabaseReadiness implements ReadinessComponent {
    /** Slower than this and requests that read the database feel it; the node still serves. */
    static final Duration SLOW = Duration.ofSeconds(1);

    private final Database db;
    private final DatabaseWriteQueue writes;
    private final DatabaseOutage outage;

    public DatabaseReadiness(Database db, DatabaseWriteQueue writes, DatabaseOutage outage) {
        this.db = db;
        this.writes = writes;
        this.outage = outage;
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
        d.put("queuedWrites", writes.depth());
        d.put("droppedWrites", writes.overflowed());
        try {
            Duration took = db.ping();
            outage.reportUp();
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
            outage.reportDown("readiness probe", e);
            DatabaseOutage.Down since = outage.current();
            if (since != null) d.put("downSince", since.since().toString());
            return new Readiness.Down("The database does not answer: " + e.getMessage() + " (" + writes.depth()
                    + " write(s) queued until it is back; logins, stream keys and chat wait for it too)", d);
        }
    }
}
