package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of a sender report (PT 200): sender info and report blocks. */
public final class RtcpSenderReport implements RtcpReportBlocks {
    public static final int FIXED_LENGTH = 28;

    private byte[] buf = new byte[0];
    private int off;
    private int reportCount;

    /** {@code len} is the packet without padding (see {@link RtcpWalker#contentLength()}). */
    public RtcpStatus parse(byte[] buf, int off, int len) {
        reportCount = 0;
        RtcpStatus s = RtcpTypes.check(buf, off, len, RtcpTypes.SR, FIXED_LENGTH);
        if (s != RtcpStatus.OK) return s;
        int rc = buf[off] & 0x1F;
        if (FIXED_LENGTH + RtcpTypes.REPORT_BLOCK_LENGTH * rc > len) return RtcpStatus.TRUNCATED;
        this.buf = buf;
        this.off = off;
        this.reportCount = rc;
        return RtcpStatus.OK;
    }

    @Override public byte[] buffer() { return buf; }

    @Override public int blocksOffset() { return off + FIXED_LENGTH; }

    @Override public int reportCount() { return reportCount; }

    @Override public long senderSsrc() { return BigEndian.u32(buf, off + 4); }

    /** The full 64-bit NTP timestamp. */
    public long ntpTimestamp() { return BigEndian.u64(buf, off + 8); }

    public long rtpTimestamp() { return BigEndian.u32(buf, off + 16); }

    public long packetCount() { return BigEndian.u32(buf, off + 20); }

    public long octetCount() { return BigEndian.u32(buf, off + 24); }
}
