package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of REMB (PSFB fmt 15, identifier "REMB", draft-alvestrand-rmcat-remb): estimated bitrate and its SSRCs. */
public final class RtcpRemb {
    private byte[] buf = new byte[0];
    private int fci;
    private int ssrcCount;
    private long bitrate;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        ssrcCount = 0;
        bitrate = 0;
        RtcpStatus s = RtcpTypes.checkFeedback(buf, off, len, RtcpTypes.PSFB, RtcpTypes.FMT_AFB);
        if (s != RtcpStatus.OK) return s;
        int f = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        int fciLen = len - RtcpTypes.FEEDBACK_HEADER_LENGTH;
        if (fciLen < 8 || !RtcpFeedback.isRembIdentifier(buf, f)) return RtcpStatus.BAD_FCI;
        int n = buf[f + 4] & 0xFF;
        if (8 + 4 * n > fciLen) return RtcpStatus.TRUNCATED;
        int exp = (buf[f + 5] & 0xFF) >>> 2;
        long mantissa = (buf[f + 5] & 0x03L) << 16 | BigEndian.u16(buf, f + 6);
        // Saturate rather than overflow: 18-bit mantissa shifted by up to 63.
        this.bitrate = mantissa == 0 ? 0 : exp > Long.numberOfLeadingZeros(mantissa) - 1 ? Long.MAX_VALUE : mantissa << exp;
        this.buf = buf;
        this.fci = f;
        this.ssrcCount = n;
        return RtcpStatus.OK;
    }

    /** Estimated maximum bitrate in bits per second. */
    public long bitrate() { return bitrate; }

    public int ssrcCount() { return ssrcCount; }

    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount) throw new IndexOutOfBoundsException(i);
        return BigEndian.u32(buf, fci + 8 + 4 * i);
    }
}
