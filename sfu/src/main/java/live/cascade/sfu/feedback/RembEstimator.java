package live.cascade.sfu.feedback;

/**
 * A simple receive-side bandwidth estimate for REMB, used when a publisher negotiated goog-remb but not
 * transport-cc. It has no delay information, so it is a loss-driven estimate around the measured incoming rate:
 *
 * <ul>
 *   <li>The incoming rate is every byte the publisher sent us (media, RTX and padding) over the last second,
 *       sampled at each {@link #update}. The loss fraction is over the same window, from the publisher's original
 *       packets (before our NACKs repaired anything), since it is the path's congestion signal.</li>
 *   <li>Loss under 2 %: the path takes more, so the estimate is {@value #HEADROOM_PERCENT} % of the incoming rate,
 *       and never lower than the previous estimate (an encoder that idles on a static scene must not be capped at
 *       its idle rate when motion starts). This lets the sender's encoder ramp multiplicatively, about ×1.5 per
 *       second, which libwebrtc senders accept without further limit during their first seconds.</li>
 *   <li>Loss 2–10 %: hold the estimate.</li>
 *   <li>Loss over 10 %: back off to the incoming rate × (1 − loss / 2), as GCC's loss-based controller does.</li>
 *   <li>Always between {@link #MIN_BITRATE} and the configured maximum.</li>
 * </ul>
 * No estimate exists before half a second of data. Allocation-free; one per publisher, on its worker thread.
 */
public final class RembEstimator {
    public static final long MIN_BITRATE = 100_000;
    static final int HEADROOM_PERCENT = 150;
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final long MIN_WINDOW_NANOS = 500_000_000L;
    private static final int SNAPSHOTS = 64;

    private final long maxBitrate;
    private final long[] snapNanos = new long[SNAPSHOTS];
    private final long[] snapBytes = new long[SNAPSHOTS];
    private final long[] snapExpected = new long[SNAPSHOTS];
    private final long[] snapReceived = new long[SNAPSHOTS];
    private int snapCount;
    private int snapNext;

    private long totalBytes;
    private long estimate = -1;
    private long incomingBitrate = -1;
    private double lossFraction;

    public RembEstimator(long maxBitrate) {
        if (maxBitrate < MIN_BITRATE) throw new IllegalArgumentException("max bitrate " + maxBitrate);
        this.maxBitrate = maxBitrate;
    }

    public void reset() {
        snapCount = snapNext = 0;
        totalBytes = 0;
        estimate = incomingBitrate = -1;
        lossFraction = 0;
    }

    /** Accounts one incoming packet (any kind) of {@code bytes}. */
    public void onPacket(int bytes) { totalBytes += bytes; }

    /** Bytes of every packet seen since the last {@link #reset()}. */
    public long totalBytes() { return totalBytes; }

    /**
     * Takes a sample and returns the new estimate in bits per second, or -1 while there is not enough data.
     *
     * @param expectedPackets cumulative packets expected from the publisher's media streams
     * @param originalPackets cumulative packets received from them as originals (retransmissions excluded)
     */
    public long update(long nowNanos, long expectedPackets, long originalPackets) {
        int oldest = -1;
        for (int k = 0; k < snapCount; k++) {
            int i = Math.floorMod(snapNext - 1 - k, SNAPSHOTS);
            long age = nowNanos - snapNanos[i];
            oldest = i;
            if (age >= WINDOW_NANOS) break;
        }
        snapNanos[snapNext] = nowNanos;
        snapBytes[snapNext] = totalBytes;
        snapExpected[snapNext] = expectedPackets;
        snapReceived[snapNext] = originalPackets;
        snapNext = (snapNext + 1) % SNAPSHOTS;
        if (snapCount < SNAPSHOTS) snapCount++;
        if (oldest < 0) return estimate;
        long span = nowNanos - snapNanos[oldest];
        if (span < MIN_WINDOW_NANOS) return estimate;

        long rate = (totalBytes - snapBytes[oldest]) * 8 * 1_000_000_000L / span;
        long expected = expectedPackets - snapExpected[oldest];
        long lost = expected - (originalPackets - snapReceived[oldest]);
        double loss = expected <= 0 || lost <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
        incomingBitrate = rate;
        lossFraction = loss;

        long next;
        if (loss < 0.02) {
            long target = rate * HEADROOM_PERCENT / 100;
            next = estimate < 0 ? target : Math.max(estimate, target);
        } else if (loss <= 0.10) {
            next = estimate < 0 ? rate : estimate;
        } else {
            long backOff = (long) (rate * (1 - loss / 2));
            next = estimate < 0 ? backOff : Math.min(estimate, backOff);
        }
        estimate = Math.max(MIN_BITRATE, Math.min(maxBitrate, next));
        return estimate;
    }

    /** The current estimate in bits per second, -1 before the first. */
    public long estimate() { return estimate; }

    /** Incoming bitrate measured at the last update, -1 before. */
    public long incomingBitrate() { return incomingBitrate; }

    /** Loss fraction measured at the last update. */
    public double lossFraction() { return lossFraction; }

    public long maxBitrate() { return maxBitrate; }
}
