package live.cascade.hls.llhls;

import java.time.Duration;

/**
 * How low-latency HLS parts are made.
 *
 * @param partTarget the longest a part may be (200–500 ms); parts end on frame boundaries at or before it
 */
public record LowLatencySettings(Duration partTarget) {
    public static final Duration MIN_PART = Duration.ofMillis(200);
    public static final Duration MAX_PART = Duration.ofMillis(500);

    public LowLatencySettings {
        if (partTarget.compareTo(MIN_PART) < 0 || partTarget.compareTo(MAX_PART) > 0) {
            throw new IllegalArgumentException("part target must be 200-500 ms, not " + partTarget.toMillis() + " ms");
        }
    }

    public static LowLatencySettings defaults() { return new LowLatencySettings(Duration.ofMillis(333)); }

    public long partTargetMicros() { return partTarget.toNanos() / 1000; }
}
