package live.cascade.sfu.bwe;

/**
 * Padding that holds a viewer's send rate at a target for as long as the target is set: how a move up a simulcast
 * layer is confirmed before it is made. A probe cluster lasts 40 ms, and a shaper with a token bucket (a cable
 * modem, Linux's {@code tbf}) passes a burst that size at line rate however slow its link, so an app-limited stream's
 * probe can read a 600 kbit/s path as 1.5 Mbit/s, and nothing the low layer sends ever corrects it. Sending the higher
 * layer's rate for the whole up-hold empties any bucket within it; what the path cannot carry then shows as queueing
 * or loss, the estimate falls and the move is called off before the viewer's picture pays for it.
 *
 * <p>The rate ramps up to the target over {@value #RAMP_NANOS} ns rather than stepping there, so that on a path that
 * cannot carry it the queue starts growing slowly and the estimator stops the padding while it is shallower (a
 * simulated 600 kbit/s shaper: deepest queue 168–204 ms with the ramp, 193–240 ms without, in 20 seeds each).
 *
 * <p>A credit in bytes: the ramp accrues it, everything sent (media, retransmissions, probe padding) spends it.
 * It is capped so a pause is not made up in one burst, and floored so a keyframe larger than the target leaves only a
 * short debt. Worker thread only; allocates nothing.
 */
final class SustainedPadding {
    /** Most credit kept: a pace interval's worth of padding packets, not a burst. */
    private static final long MAX_CREDIT_BYTES = 1_200;
    /** Most debt kept, in nanoseconds of the target rate: a keyframe over the target delays padding this long at most. */
    private static final long MAX_DEBT_NANOS = 100_000_000L;

    /** How long the padded rate takes to climb from nothing to the target. */
    static final long RAMP_NANOS = 500_000_000L;

    private long targetBps = -1;
    private long startNanos;
    private double credit;
    private long lastNanos = Long.MIN_VALUE;

    /** Holds the send rate at {@code bps} from now; -1 (or 0) stops. */
    void target(long bps, long nowNanos) {
        if (bps <= 0) {
            targetBps = -1;
            credit = 0;
            lastNanos = Long.MIN_VALUE;
            return;
        }
        if (targetBps <= 0) {
            lastNanos = nowNanos;
            startNanos = nowNanos;
        }
        targetBps = bps;
    }

    /** The rate the padding holds at {@code nanos}: on the ramp, then the target; 0 when none is set. */
    long rateAt(long nanos) {
        if (targetBps <= 0) return 0;
        long elapsed = nanos - startNanos;
        if (elapsed >= RAMP_NANOS) return targetBps;
        return elapsed <= 0 ? 0 : (long) (targetBps * (double) elapsed / RAMP_NANOS);
    }

    long target() { return targetBps; }

    /** Anything sent toward the viewer. */
    void onSent(int bytes) {
        if (targetBps > 0) credit = Math.max(credit - bytes, -targetBps / 8.0 * MAX_DEBT_NANOS / 1e9);
    }

    /** Padding bytes to send now to hold the target; 0 when none is set or the stream alone reaches it. */
    long due(long nowNanos) {
        if (targetBps <= 0) return 0;
        if (nowNanos > lastNanos) {
            credit = Math.min(credit + rateAt(nowNanos) / 8.0 * (nowNanos - lastNanos) / 1e9, MAX_CREDIT_BYTES);
            lastNanos = nowNanos;
        }
        return credit > 0 ? (long) credit : 0;
    }
}
