package live.cascade.sfu.rtp;

/** 32-bit RTP timestamp arithmetic and conversions between nanoseconds and clock-rate units. */
public final class Timestamps {
    public static final long MODULUS = 1L << 32;
    public static final long MASK = MODULUS - 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Timestamps() {}

    /** Signed distance {@code a - b} in [-2^31, 2^31 - 1]. */
    public static long diff(long a, long b) { return (int) (a - b); }

    /** True when {@code a} comes after {@code b}; ties at exactly half the space are broken by value. */
    public static boolean isNewer(long a, long b) {
        long d = (a - b) & MASK;
        if (d == MODULUS / 2) return (a & MASK) > (b & MASK);
        return d != 0 && d < MODULUS / 2;
    }

    public static long add(long ts, long n) { return (ts + n) & MASK; }

    /** Converts a (possibly negative) duration to clock-rate units, truncating toward zero, without overflow. */
    public static long fromNanos(long nanos, int clockRate) {
        if (nanos < 0) return -fromNanos(-nanos, clockRate);
        return nanos / NANOS_PER_SECOND * clockRate + nanos % NANOS_PER_SECOND * clockRate / NANOS_PER_SECOND;
    }

    /** Converts clock-rate units to nanoseconds. */
    public static long toNanos(long units, int clockRate) {
        if (units < 0) return -toNanos(-units, clockRate);
        return units / clockRate * NANOS_PER_SECOND + units % clockRate * NANOS_PER_SECOND / clockRate;
    }
}
