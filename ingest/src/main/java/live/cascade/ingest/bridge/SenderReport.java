package live.cascade.ingest.bridge;

/**
 * Writes the RTCP sender report the router and viewers' lip sync need (RFC 3550 §6.4.1): the ingest places audio and
 * video on one media timeline (the encoder's FLV timestamps) and says which wall-clock instant each RTP timestamp is.
 */
final class SenderReport {
    static final int LENGTH = 28;
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private SenderReport() {}

    static void write(byte[] b, int off, long ssrc, long unixMillis, long rtpTimestamp, long packets, long octets) {
        b[off] = (byte) 0x80;
        b[off + 1] = (byte) 200;
        b[off + 2] = 0;
        b[off + 3] = 6;
        int32(b, off + 4, ssrc);
        int32(b, off + 8, unixMillis / 1000 + NTP_UNIX_OFFSET);
        int32(b, off + 12, ((unixMillis % 1000) << 32) / 1000);
        int32(b, off + 16, rtpTimestamp);
        int32(b, off + 20, packets);
        int32(b, off + 24, octets);
    }

    private static void int32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
