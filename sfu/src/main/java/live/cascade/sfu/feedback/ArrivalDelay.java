package live.cascade.sfu.feedback;

/**
 * How much later than its fastest packet each publisher packet was stamped, from the sender's abs-send-time: the
 * queueing the arrival times we report imply. The sender's delay-based estimator reads exactly this (as a trend), so
 * when it grows on a path that has no queue (loopback), the delay is ours: a media worker that ran late stamps late.
 *
 * <p>Per packet: the one-way delay {@code arrival − send} on an unwrapped send clock (abs-send-time wraps every 64 s;
 * consecutive packets are far closer than 32 s). Its minimum since {@link #reset} is the path's base delay; each
 * packet's excess over it is the queueing. Keeps the largest excess of the current window. Allocation-free.
 */
public final class ArrivalDelay {
    private static final long UNITS_PER_WRAP = 1L << 24;
    /** abs-send-time units per second: 6.18 fixed point. */
    private static final long UNITS_PER_SECOND = 1L << 18;

    private boolean started;
    private int lastSend;
    private long sendUnits;
    private long minDelayNanos;
    private long windowMaxNanos;
    private long lastWindowMaxNanos;
    private long packets;

    public void reset() {
        started = false;
        lastSend = 0;
        sendUnits = 0;
        minDelayNanos = Long.MAX_VALUE;
        windowMaxNanos = lastWindowMaxNanos = 0;
        packets = 0;
    }

    public ArrivalDelay() { reset(); }

    /** One packet that carried abs-send-time {@code absSendTime} (24 bits) and was stamped at {@code arrivalNanos}. */
    public void onPacket(int absSendTime, long arrivalNanos) {
        int v = absSendTime & 0xFF_FFFF;
        if (!started) {
            started = true;
            sendUnits = v;
        } else {
            long d = (v - lastSend) & (UNITS_PER_WRAP - 1);
            if (d >= UNITS_PER_WRAP / 2) d -= UNITS_PER_WRAP; // sent earlier than the previous one (pacer reordering)
            sendUnits += d;
        }
        lastSend = v;
        packets++;
        // Whole seconds and the fraction apart, so a connection of any length does not overflow.
        long sendNanos = (sendUnits >> 18) * 1_000_000_000L + ((sendUnits & (UNITS_PER_SECOND - 1)) * 1_000_000_000L >> 18);
        long delay = arrivalNanos - sendNanos;
        if (delay < minDelayNanos) minDelayNanos = delay;
        long excess = delay - minDelayNanos;
        if (excess > windowMaxNanos) windowMaxNanos = excess;
    }

    /** Closes the current window: {@link #lastWindowMaxNanos()} becomes its largest excess. */
    public void closeWindow() {
        lastWindowMaxNanos = windowMaxNanos;
        windowMaxNanos = 0;
    }

    /** The largest stamped delay over the fastest packet in the last closed window, nanoseconds. */
    public long lastWindowMaxNanos() { return lastWindowMaxNanos; }

    /** The same for the window still open. */
    public long currentWindowMaxNanos() { return windowMaxNanos; }

    public long packets() { return packets; }
}
