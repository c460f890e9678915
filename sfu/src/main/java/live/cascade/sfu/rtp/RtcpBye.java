package live.cascade.sfu.rtp;

/** View of a BYE (PT 203): the SSRCs leaving and an optional reason. */
public final class RtcpBye {
    private byte[] buf = new byte[0];
    private int off;
    private int ssrcCount;
    private int reasonLength = -1;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        ssrcCount = 0;
        reasonLength = -1;
        RtcpStatus s = RtcpTypes.check(buf, off, len, RtcpTypes.BYE, RtcpTypes.HEADER_LENGTH);
        if (s != RtcpStatus.OK) return s;
        int sc = buf[off] & 0x1F;
        int pos = RtcpTypes.HEADER_LENGTH + 4 * sc;
        if (pos > len) return RtcpStatus.TRUNCATED;
        int rl = -1;
        if (pos < len) {
            rl = buf[off + pos] & 0xFF;
            if (pos + 1 + rl > len) return RtcpStatus.TRUNCATED;
        }
        this.buf = buf;
        this.off = off;
        this.ssrcCount = sc;
        this.reasonLength = rl;
        return RtcpStatus.OK;
    }

    public int ssrcCount() { return ssrcCount; }

    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount) throw new IndexOutOfBoundsException(i);
        return BigEndian.u32(buf, off + 4 + 4 * i);
    }

    public boolean hasReason() { return reasonLength >= 0; }

    /** Absolute offset of the reason text (UTF-8). */
    public int reasonOffset() { return off + 4 + 4 * ssrcCount + 1; }

    public int reasonLength() { return Math.max(reasonLength, 0); }
}
