package live.cascade.sfu.rtp;

/** 64-bit NTP timestamps (seconds since 1900 in the high word) and the 16.16 "compact" form used by LSR/DLSR. */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS = 1_000_000_000L;

    private NtpTime() {}

    public static long fromEpochNanos(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, NANOS);
        long nanos = Math.floorMod(epochNanos, NANOS);
        long fraction = (nanos << 32) / NANOS;
        return (seconds + EPOCH_OFFSET_SECONDS) << 32 | fraction;
    }

    public static long toEpochNanos(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        return (seconds - EPOCH_OFFSET_SECONDS) * NANOS + ((fraction * NANOS) >>> 32);
    }

    /** The middle 32 bits, as carried in LSR. */
    public static long middle32(long ntp) { return (ntp >>> 16) & 0xFFFF_FFFFL; }

    /** A non-negative duration in 1/65536 s units, saturated to 32 bits (as DLSR). */
    public static long nanosToCompact(long nanos) {
        if (nanos <= 0) return 0;
        long seconds = nanos / NANOS;
        if (seconds >= 0x10000) return 0xFFFF_FFFFL;
        return seconds << 16 | ((nanos % NANOS) << 16) / NANOS;
    }

    public static long compactToNanos(long compact) {
        compact &= 0xFFFF_FFFFL;
        return (compact >>> 16) * NANOS + ((compact & 0xFFFF) * NANOS >>> 16);
    }
}
