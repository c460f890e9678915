package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/**
 * A view of a sender or receiver report: a fixed part (the SR's sender info makes it longer) starting with the
 * sender's SSRC, then the report blocks, counted in the first byte.
 */
public abstract sealed class RtcpReport implements RtcpReportBlocks permits RtcpReceiverReport, RtcpSenderReport {
    private final int type;
    private final int fixedLength;
    byte[] buf = new byte[0];
    int off;
    private int reportCount;

    RtcpReport(int type, int fixedLength) {
        this.type = type;
        this.fixedLength = fixedLength;
    }

    /** {@code len} is the packet without padding (see {@link RtcpWalker#contentLength()}). */
    public RtcpStatus parse(byte[] buf, int off, int len) {
        reportCount = 0;
        RtcpStatus s = RtcpTypes.check(buf, off, len, type, fixedLength);
        if (s != RtcpStatus.OK) return s;
        int rc = buf[off] & 0x1F;
        if (fixedLength + RtcpTypes.REPORT_BLOCK_LENGTH * rc > len) return RtcpStatus.TRUNCATED;
        this.buf = buf;
        this.off = off;
        this.reportCount = rc;
        return RtcpStatus.OK;
    }

    @Override public byte[] buffer() { return buf; }

    @Override public int blocksOffset() { return off + fixedLength; }

    @Override public int reportCount() { return reportCount; }

    @Override public long senderSsrc() { return BigEndian.u32(buf, off + 4); }
}
