package live.cascade.hls;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of recording on this node, for {@code /readyz}: a recorder that stopped (full disk) makes it unhealthy;
 * one that had to recover (a refused write, continued in a new part) is reported but healthy, as nothing was lost
 * beyond a moment.
 */
public final class RecordingHealth {
    /**
     * A snapshot. {@code lastError} and {@code lastErrorAt} are null when no recording has failed since start;
     * {@code recovered} counts recoveries since start, {@code lastRecovery} (null without one) says the latest.
     */
    public record Status(int recording, int failed, String lastError, Instant lastErrorAt, boolean diskFull, int recovered,
                         String lastRecovery, Instant lastRecoveryAt) {
        public boolean healthy() { return failed == 0; }
    }

    private final AtomicInteger recording = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger recovered = new AtomicInteger();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean diskFull;
    private volatile String lastRecovery;
    private volatile Instant lastRecoveryAt;

    public void started() { recording.incrementAndGet(); }

    /** The broadcast ended; {@code hadFailed}: its recorder had failed (that failure stops counting against health). */
    public void stopped(boolean hadFailed) {
        recording.decrementAndGet();
        if (hadFailed) failed.decrementAndGet();
    }

    /** A broadcast's recorder stopped on {@code error}; public so that operations tests can drive {@code /readyz}. */
    public void failed(String channel, String error, boolean full, Instant at) {
        failed.incrementAndGet();
        lastError = "channel " + channel + ": " + error;
        lastErrorAt = at;
        diskFull = full;
    }

    /** A broadcast's recorder continued in part {@code part} after {@code why}; public for operations tests. */
    public void recovered(String channel, int part, String why, Instant at) {
        recovered.incrementAndGet();
        lastRecovery = "channel " + channel + ": continued in part " + part + " after: " + why;
        lastRecoveryAt = at;
    }

    public Status status() {
        return new Status(recording.get(), failed.get(), lastError, lastErrorAt, diskFull, recovered.get(), lastRecovery, lastRecoveryAt);
    }
}
