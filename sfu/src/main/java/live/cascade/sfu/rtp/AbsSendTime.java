package live.cascade.sfu.rtp;

/** The abs-send-time header extension value: 24-bit, 6.18 fixed-point seconds, wrapping every 64 s. */
public final class AbsSendTime {
    private static final long NANOS = 1_000_000_000L;

    private AbsSendTime() {}

    /** Value for a monotonic time in nanoseconds (any origin: only differences matter to the receiver). */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS);
        long rest = Math.floorMod(nanos, NANOS);
        return (int) ((seconds & 0x3F) << 18 | (rest << 18) / NANOS);
    }
}
