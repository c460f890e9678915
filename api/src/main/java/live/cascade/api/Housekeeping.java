package live.cascade.api;

import live.cascade.api.ratelimit.LocalRateLimiter;
import live.cascade.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's periodic clean-up, every 10 minutes on one daemon thread: the in-process rate limiter's stale windows,
 * expired sessions and expired bans (timeouts). A failed round is logged and the next one tries again.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeServer.class);

    private final ScheduledExecutorService executor;

    private Housekeeping(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static Housekeeping start(LocalRateLimiter limiter, Database database, Clock clock) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("housekeeping").factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                limiter.sweep();
                database.sessions().deleteExpired(clock.instant());
                database.bans().deleteExpired(clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("housekeeping failed: {}", e.toString());
            }
        }, 1, 10, TimeUnit.MINUTES);
        return new Housekeeping(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
