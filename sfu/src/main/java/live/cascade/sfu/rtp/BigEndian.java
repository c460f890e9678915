package live.cascade.sfu.rtp;

/** Network-order reads and writes on byte arrays. Callers have checked bounds. */
public final class BigEndian {
    private BigEndian() {}

    public static int u8(byte[] b, int o) { return b[o] & 0xFF; }

    public static int u16(byte[] b, int o) { return (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF); }

    public static int u24(byte[] b, int o) { return (b[o] & 0xFF) << 16 | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF); }

    /** Signed 24-bit value (two's complement), as RTCP's cumulative-lost and transport-cc reference time. */
    public static int s24(byte[] b, int o) { return u24(b, o) << 8 >> 8; }

    public static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xFF) << 24) | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    public static long u64(byte[] b, int o) { return u32(b, o) << 32 | u32(b, o + 4); }

    public static void put8(byte[] b, int o, int v) { b[o] = (byte) v; }

    public static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    public static void put24(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 16);
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) v;
    }

    public static void put32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    public static void put64(byte[] b, int o, long v) {
        put32(b, o, v >>> 32);
        put32(b, o + 4, v);
    }

    /** True when {@code [off, off+len)} lies inside {@code b}; written to be overflow-safe for hostile values. */
    public static boolean inBounds(byte[] b, int off, int len) {
        return b != null && off >= 0 && len >= 0 && off <= b.length - len;
    }
}
