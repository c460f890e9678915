package live.cascade.sfu.bwe;

/**
 * The classic loss-based rules of GoogCC's send-side estimate, over the losses transport-cc reports: a window closes
 * once it holds {@value #MIN_PACKETS} packets and {@value #MIN_WINDOW_NANOS} ns; under 2 % lost the cap rises 8 % a
 * second (and is lifted once it is well above the delay-based rate); 2–10 % holds it; over 10 % cuts it to
 * rate × (1 − loss / 2), at most once per 300 ms plus a round trip. The estimate is the lower of this cap and the
 * delay-based rate.
 */
final class LossBasedControl {
    static final int MIN_PACKETS = 20;
    static final long MIN_WINDOW_NANOS = 500_000_000L;
    private static final double LOW_LOSS = 0.02;
    private static final double HIGH_LOSS = 0.10;

    private long windowStartNanos = Long.MIN_VALUE;
    private int windowPackets;
    private int windowLost;
    private double lastLoss;
    /** The loss cap in bit/s, or Long.MAX_VALUE while loss limits nothing. */
    private long cap = Long.MAX_VALUE;
    private long lastCutNanos = Long.MIN_VALUE;
    private long lastIncreaseNanos = Long.MIN_VALUE;
    private long rttNanos = 100_000_000L;
    private long lostTotal;

    void setRoundTrip(long nanos) { if (nanos > 0) rttNanos = nanos; }

    /** Counts one feedback's packets; returns true when a window closed and the cap may have moved. */
    boolean onFeedback(int received, int lost, long currentRate, long delayBased, long nowNanos) {
        if (windowStartNanos == Long.MIN_VALUE) windowStartNanos = nowNanos;
        windowPackets += received + lost;
        windowLost += lost;
        lostTotal += lost;
        if (windowPackets < MIN_PACKETS || nowNanos - windowStartNanos < MIN_WINDOW_NANOS) return false;
        double loss = (double) windowLost / windowPackets;
        lastLoss = loss;
        windowPackets = windowLost = 0;
        windowStartNanos = nowNanos;
        if (loss > HIGH_LOSS) {
            if (lastCutNanos == Long.MIN_VALUE || nowNanos - lastCutNanos >= 300_000_000L + rttNanos) {
                cap = (long) (Math.min(cap, currentRate) * (1 - loss / 2));
                lastCutNanos = nowNanos;
            }
        } else if (loss >= LOW_LOSS) {
            cap = Math.min(cap, currentRate);
        } else if (cap != Long.MAX_VALUE) {
            double dt = lastIncreaseNanos == Long.MIN_VALUE ? 0.2 : Math.min(1.0, (nowNanos - lastIncreaseNanos) / 1e9);
            cap = (long) (cap * Math.pow(1.08, dt)) + 1_000;
            if (cap > delayBased * 1.5) cap = Long.MAX_VALUE;
        }
        lastIncreaseNanos = nowNanos;
        return true;
    }

    /** A probe found {@code bps} without loss: loss no longer holds the rate below it. */
    void onProbe(long bps) {
        if (cap != Long.MAX_VALUE && lastLoss < LOW_LOSS && bps > cap) cap = bps;
    }

    long cap() { return cap; }

    double lastLoss() { return lastLoss; }

    long lostTotal() { return lostTotal; }
}
