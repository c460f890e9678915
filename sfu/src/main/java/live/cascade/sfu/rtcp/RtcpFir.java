package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of a Full Intra Request (PSFB fmt 4, RFC 5104 §4.3.1): entries of (SSRC, command sequence number). */
public final class RtcpFir {
    public static final int ENTRY_LENGTH = 8;

    private byte[] buf = new byte[0];
    private int fci;
    private int entries;
    private long senderSsrc;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        entries = 0;
        RtcpStatus s = RtcpTypes.checkFeedback(buf, off, len, RtcpTypes.PSFB, RtcpTypes.FMT_FIR);
        if (s != RtcpStatus.OK) return s;
        int fciLen = len - RtcpTypes.FEEDBACK_HEADER_LENGTH;
        if (fciLen < ENTRY_LENGTH || fciLen % ENTRY_LENGTH != 0) return RtcpStatus.BAD_FCI;
        this.buf = buf;
        this.fci = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        this.entries = fciLen / ENTRY_LENGTH;
        this.senderSsrc = BigEndian.u32(buf, off + 4);
        return RtcpStatus.OK;
    }

    public long senderSsrc() { return senderSsrc; }

    public int entryCount() { return entries; }

    /** The SSRC asked to send a decoder refresh point. */
    public long entrySsrc(int i) { return BigEndian.u32(buf, entry(i)); }

    public int entrySequenceNumber(int i) { return BigEndian.u8(buf, entry(i) + 4); }

    private int entry(int i) {
        if (i < 0 || i >= entries) throw new IndexOutOfBoundsException(i);
        return fci + ENTRY_LENGTH * i;
    }
}
