package live.cascade.sfu.bwe;

/**
 * GoogCC's delay-based rate: additive increase / multiplicative decrease driven by the overuse detector. Overuse
 * drops the rate to {@value #BETA} × the acknowledged bitrate (what actually got through) and remembers that as the
 * link's capacity; normal use increases it, multiplicatively (8 % a second) while no capacity is known or the
 * acknowledged rate has left the remembered one far behind, additively (about one packet per response time) near
 * it; underuse holds it while queues drain. It never rises above 1.5 × the acknowledged bitrate, so a sender that
 * does not fill the estimate cannot inflate it. A probe result sets it directly.
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    private static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    private static final long PACKET_BITS = 1200 * 8;
    private static final long DEFAULT_RTT_NANOS = 100_000_000L;

    private final long minBitrate;
    private final long maxBitrate;
    private long bitrate;
    private boolean increasing;
    private boolean holding;
    private long lastChangeNanos = Long.MIN_VALUE;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    private long rttNanos = DEFAULT_RTT_NANOS;
    /** The acknowledged rate at the last overuse, smoothed; -1 when not known (or no longer believable). */
    private double linkCapacity = -1;

    AimdRateControl(long initialBitrate, long minBitrate, long maxBitrate) {
        this.bitrate = initialBitrate;
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
    }

    void setRoundTrip(long nanos) { if (nanos > 0) rttNanos = nanos; }

    /** Applies the detector's state with the current acknowledged bitrate (-1 when unknown). */
    long update(BandwidthUsage usage, long ackedBitrate, long nowNanos) {
        if (lastChangeNanos == Long.MIN_VALUE) lastChangeNanos = nowNanos;
        switch (usage) {
            case OVERUSING -> decrease(ackedBitrate, nowNanos);
            case UNDERUSING -> holding = true;
            case NORMAL -> {
                if (holding) holding = false;
                increasing = true;
            }
        }
        if (usage != BandwidthUsage.OVERUSING && !holding && increasing) increase(ackedBitrate, nowNanos);
        lastChangeNanos = nowNanos;
        return bitrate;
    }

    private void decrease(long acked, long nowNanos) {
        increasing = false;
        holding = true;
        // One decrease per round trip: the feedback right after a decrease still shows the queue it answered.
        if (lastDecreaseNanos != Long.MIN_VALUE && nowNanos - lastDecreaseNanos < Math.max(rttNanos, 50_000_000L)) return;
        long base = acked > 0 ? acked : bitrate;
        long decreased = (long) (BETA * base);
        // Already below what got through: the queue is from before the last decrease, which answered it.
        if (decreased < bitrate) bitrate = decreased;
        if (acked > 0) {
            if (linkCapacity > 0 && (acked > linkCapacity * 1.5 || acked < linkCapacity * 0.5)) linkCapacity = -1;
            linkCapacity = linkCapacity < 0 ? acked : 0.95 * linkCapacity + 0.05 * acked;
        }
        bitrate = clamp(bitrate);
        lastDecreaseNanos = nowNanos;
    }

    private void increase(long acked, long nowNanos) {
        double dtSeconds = Math.min(1.0, Math.max(0, (nowNanos - lastChangeNanos) / 1e9));
        if (linkCapacity > 0 && acked > linkCapacity * 1.5) linkCapacity = -1; // the path got faster
        long next;
        if (linkCapacity > 0) {
            // Near the known capacity: about one packet per response time.
            double responseSeconds = (rttNanos + 100_000_000L) / 1e9;
            double bitsPerFrame = bitrate / 30.0;
            double packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
            double packetBits = bitsPerFrame / Math.max(1, packetsPerFrame);
            double perSecond = Math.max(4_000, packetBits / responseSeconds);
            next = bitrate + (long) (perSecond * dtSeconds);
        } else {
            next = bitrate + Math.max(1_000L, (long) (bitrate * (Math.pow(MULTIPLICATIVE_PER_SECOND, dtSeconds) - 1)));
        }
        if (acked > 0) {
            long ceiling = (long) (1.5 * acked) + 10_000;
            if (next > ceiling) next = Math.max(bitrate, ceiling);
        }
        bitrate = clamp(next);
    }

    /** A probe found {@code bps} of headroom: take it at once (the detector will correct an overshoot). */
    void onProbe(long bps, long nowNanos) {
        if (bps > bitrate) {
            bitrate = clamp(bps);
            linkCapacity = -1;
            lastChangeNanos = nowNanos;
        }
    }

    /**
     * The path was seen carrying at most {@code deliveredBps} while a queue built (padding held above it): the rate
     * drops to {@value #BETA} × that at once, which becomes the known capacity, so it grows back additively.
     */
    void onQueueBuilt(long deliveredBps, long nowNanos) {
        increasing = false;
        holding = true;
        bitrate = clamp(Math.min(bitrate, (long) (BETA * deliveredBps)));
        linkCapacity = deliveredBps;
        lastDecreaseNanos = nowNanos;
        lastChangeNanos = nowNanos;
    }

    private long clamp(long bps) { return Math.max(minBitrate, Math.min(maxBitrate, bps)); }

    long bitrate() { return bitrate; }

    /** When the rate was last decreased, Long.MIN_VALUE before that. */
    long lastDecreaseNanos() { return lastDecreaseNanos; }

    boolean nearCapacity() { return linkCapacity > 0; }
}
