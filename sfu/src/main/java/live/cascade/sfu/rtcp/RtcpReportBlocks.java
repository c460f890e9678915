package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** Reception report blocks as carried by SR and RR; read in place, {@code 0 <= i < reportCount()}. */
public sealed interface RtcpReportBlocks permits RtcpReport {
    byte[] buffer();

    /** Absolute offset of the first block. */
    int blocksOffset();

    int reportCount();

    /** SSRC of the report's sender. */
    long senderSsrc();

    private int block(int i) {
        if (i < 0 || i >= reportCount()) throw new IndexOutOfBoundsException(i);
        return blocksOffset() + RtcpTypes.REPORT_BLOCK_LENGTH * i;
    }

    default long blockSsrc(int i) { return BigEndian.u32(buffer(), block(i)); }

    default int blockFractionLost(int i) { return BigEndian.u8(buffer(), block(i) + 4); }

    default int blockCumulativeLost(int i) { return BigEndian.s24(buffer(), block(i) + 5); }

    default long blockExtendedHighestSequence(int i) { return BigEndian.u32(buffer(), block(i) + 8); }

    default long blockJitter(int i) { return BigEndian.u32(buffer(), block(i) + 12); }

    default long blockLastSr(int i) { return BigEndian.u32(buffer(), block(i) + 16); }

    default long blockDelaySinceLastSr(int i) { return BigEndian.u32(buffer(), block(i) + 20); }

    /** The block as a value (allocates; for stats and tests, not the packet path). */
    default ReportBlock reportBlock(int i) {
        return new ReportBlock(blockSsrc(i), blockFractionLost(i), blockCumulativeLost(i),
                blockExtendedHighestSequence(i), blockJitter(i), blockLastSr(i), blockDelaySinceLastSr(i));
    }
}
