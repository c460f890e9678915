package live.cascade.sfu.bwe;

/**
 * Turns the trendline's slope into {@link BandwidthUsage}, against a threshold that adapts (GoogCC's adaptive
 * threshold): it rises slowly while the modified trend is above it and falls faster while below, so a path with
 * steady jitter (or a competing TCP flow's standing queue) does not read as permanent overuse, and it stays within
 * [{@value #MIN_THRESHOLD}, {@value #MAX_THRESHOLD}] ms. Overuse needs the trend above the threshold for more than
 * {@value #OVERUSE_TIME_MS} ms over at least two updates, and still rising.
 */
final class OveruseDetector {
    private static final double GAIN = 4.0;
    private static final int MAX_DELTAS = 60;
    private static final double K_UP = 0.0087;
    private static final double K_DOWN = 0.039;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    private static final double OVERUSE_TIME_MS = 10;
    /** A trend this far beyond the threshold is a spike (a route change, a stall), not a reason to adapt. */
    private static final double MAX_ADAPT_OFFSET = 15;

    private double threshold = 12.5;
    private long lastThresholdUpdateNanos = Long.MIN_VALUE;
    private double timeOverusingMs = -1;
    private int overuseCount;
    private double previousSlope;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /** True on the update that found overuse (not on later ones while the state stays {@code OVERUSING}). */
    private boolean triggered;

    BandwidthUsage detect(double slope, int deltas, double sendDeltaMs, long nowNanos) {
        triggered = false;
        if (deltas < 2) return state = BandwidthUsage.NORMAL;
        double modified = Math.min(deltas, MAX_DELTAS) * slope * GAIN;
        if (modified > threshold) {
            timeOverusingMs = timeOverusingMs < 0 ? sendDeltaMs / 2 : timeOverusingMs + sendDeltaMs;
            overuseCount++;
            if (timeOverusingMs > OVERUSE_TIME_MS && overuseCount > 1 && slope >= previousSlope) {
                timeOverusingMs = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
                triggered = true;
            }
        } else if (modified < -threshold) {
            timeOverusingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverusingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousSlope = slope;
        adapt(modified, nowNanos);
        return state;
    }

    private void adapt(double modified, long nowNanos) {
        if (lastThresholdUpdateNanos == Long.MIN_VALUE) lastThresholdUpdateNanos = nowNanos;
        double magnitude = Math.abs(modified);
        if (magnitude > threshold + MAX_ADAPT_OFFSET) {
            lastThresholdUpdateNanos = nowNanos;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double dtMs = Math.min((nowNanos - lastThresholdUpdateNanos) / 1e6, 100);
        threshold += k * (magnitude - threshold) * dtMs;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdateNanos = nowNanos;
    }

    BandwidthUsage state() { return state; }

    /**
     * Whether the last {@link #detect} found fresh overuse: the trend crossed the threshold again and is still
     * rising. While it stays above but falls (the queue a decrease answered is draining) no new decrease is due.
     */
    boolean triggered() { return triggered; }

    double threshold() { return threshold; }
}
