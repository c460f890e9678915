package live.cascade.hls;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** The state of recording on this node, for {@code /readyz}: a recorder that stopped (full disk) makes it unhealthy. */
public final class RecordingHealth {
    /** A snapshot. {@code lastError} and {@code lastErrorAt} are null when no recording has failed since start. */
    public record Status(int recording, int failed, String lastError, Instant lastErrorAt, boolean diskFull) {
        public boolean healthy() { return failed == 0; }
    }

    private final AtomicInteger recording = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean diskFull;

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

    public Status status() {
        return new Status(recording.get(), failed.get(), lastError, lastErrorAt, diskFull);
    }
}
