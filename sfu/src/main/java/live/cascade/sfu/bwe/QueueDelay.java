package live.cascade.sfu.bwe;

/**
 * How long packets wait in queues on the way to the viewer: a packet's one-way delay (its arrival stamp from the
 * viewer's feedback less its send time; the offset between the two clocks cancels out) above the least one-way delay
 * seen over the last 1.5 to 3 s. The window is short so that clock drift never builds up into it, and long enough to
 * span a move-up hold's start, whose padding is what this watches. Worker thread only; allocates nothing.
 */
final class QueueDelay {
    private static final long BUCKET_NANOS = 1_500_000_000L;

    private long bucketStart = Long.MIN_VALUE;
    private long currentMin = Long.MAX_VALUE;
    private long previousMin = Long.MAX_VALUE;

    /** A reported packet: sent at {@code sendNanos} (our clock), arrived at {@code arrivalNanos} (the viewer's). */
    void add(long sendNanos, long arrivalNanos) {
        if (bucketStart == Long.MIN_VALUE || sendNanos - bucketStart >= BUCKET_NANOS) {
            previousMin = bucketStart != Long.MIN_VALUE && sendNanos - bucketStart < 2 * BUCKET_NANOS ? currentMin : Long.MAX_VALUE;
            currentMin = Long.MAX_VALUE;
            bucketStart = sendNanos;
        }
        currentMin = Math.min(currentMin, arrivalNanos - sendNanos);
    }

    /** How long a packet with this one-way delay waited in queues, 0 before any packet. */
    long queueing(long oneWayNanos) {
        long base = Math.min(currentMin, previousMin);
        return base == Long.MAX_VALUE ? 0 : Math.max(0, oneWayNanos - base);
    }
}
