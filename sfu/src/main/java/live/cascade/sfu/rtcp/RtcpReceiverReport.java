package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of a receiver report (PT 201). */
public final class RtcpReceiverReport implements RtcpReportBlocks {
    public static final int FIXED_LENGTH = 8;

    private byte[] buf = new byte[0];
    private int off;
    private int reportCount;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        reportCount = 0;
        RtcpStatus s = RtcpTypes.check(buf, off, len, RtcpTypes.RR, FIXED_LENGTH);
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
}
