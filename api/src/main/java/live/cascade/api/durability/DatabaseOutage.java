package live.cascade.api.durability;

import live.cascade.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this node currently sees its database as unreachable, and since when. Everyone who meets a failure reports
 * it here (the write queue, {@code /readyz}, requests that got 503), so an outage is logged once when it starts and
 * once when it ends, however many requests and writes ran into it meanwhile.
 */
public final class DatabaseOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    /** What a client refused with 503 is told to wait: about one probe of the database, not the whole outage. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** Down since {@code since} for {@code reason}. */
    public record Down(Instant since, String reason) {
    }

    private final Clock clock;
    private final AtomicReference<Down> down = new AtomicReference<>();

    public DatabaseOutage(Clock clock) {
        this.clock = clock;
    }

    /** {@code where} failed because the database is unreachable; logs only the first report of an outage. */
    public void reportDown(String where, Throwable e) {
        String reason = reason(e);
        Down now = new Down(clock.instant(), reason);
        if (down.compareAndSet(null, now)) {
            LOG.warn("database unreachable ({}): {}; important writes are queued until it is back, requests that need it get 503",
                    where, reason);
        }
    }

    /** The database answered; ends an outage (logging how long it lasted) if there was one. */
    public void reportUp() {
        Down was = down.getAndSet(null);
        if (was != null) {
            LOG.info("database reachable again after {} s", Math.max(0, Duration.between(was.since(), clock.instant()).toSeconds()));
        }
    }

    public boolean isDown() {
        return down.get() != null;
    }

    /** The current outage, or null. */
    public Down current() {
        return down.get();
    }

    /** True when {@code e} or one of its causes says the database could not be reached. */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException) return true;
        }
        return false;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
