package live.cascade.sfu.rtcp;

import java.util.List;
import java.util.Objects;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * Writes the RTCP packets the SFU sends, into caller-owned buffers; each method returns the bytes written.
 * A compound packet is built by writing packets back to back. Writers throw only on programming errors (no room).
 */
public final class RtcpWriter {
    public static final int PLI_LENGTH = 12;
    public static final int FIR_LENGTH = 20;
    private static final int SDES_CNAME = 1;

    private RtcpWriter() {}

    private static void header(byte[] buf, int off, int count, int packetType, int totalLength) {
        buf[off] = (byte) (0x80 | count);
        buf[off + 1] = (byte) packetType;
        BigEndian.put16(buf, off + 2, totalLength / 4 - 1);
    }

    /**
     * Sender report header and sender info for {@code blockCount} report blocks, which the caller writes right after
     * with {@link #writeReportBlock}. Returns 28 (the blocks are not counted).
     */
    public static int writeSenderReport(byte[] buf, int off, long ssrc, long ntp, long rtpTimestamp,
                                        long packetCount, long octetCount, int blockCount) {
        checkBlocks(blockCount);
        Objects.checkFromIndexSize(off, RtcpSenderReport.FIXED_LENGTH + RtcpTypes.REPORT_BLOCK_LENGTH * blockCount, buf.length);
        header(buf, off, blockCount, RtcpTypes.SR, RtcpSenderReport.FIXED_LENGTH + RtcpTypes.REPORT_BLOCK_LENGTH * blockCount);
        BigEndian.put32(buf, off + 4, ssrc);
        BigEndian.put64(buf, off + 8, ntp);
        BigEndian.put32(buf, off + 16, rtpTimestamp);
        BigEndian.put32(buf, off + 20, packetCount);
        BigEndian.put32(buf, off + 24, octetCount);
        return RtcpSenderReport.FIXED_LENGTH;
    }

    /** Receiver report header for {@code blockCount} blocks written right after. Returns 8. */
    public static int writeReceiverReport(byte[] buf, int off, long ssrc, int blockCount) {
        checkBlocks(blockCount);
        Objects.checkFromIndexSize(off, RtcpReceiverReport.FIXED_LENGTH + RtcpTypes.REPORT_BLOCK_LENGTH * blockCount, buf.length);
        header(buf, off, blockCount, RtcpTypes.RR, RtcpReceiverReport.FIXED_LENGTH + RtcpTypes.REPORT_BLOCK_LENGTH * blockCount);
        BigEndian.put32(buf, off + 4, ssrc);
        return RtcpReceiverReport.FIXED_LENGTH;
    }

    /** One report block; cumulative lost is clamped to the signed 24-bit range. Returns 24. */
    public static int writeReportBlock(byte[] buf, int off, long ssrc, int fractionLost, long cumulativeLost,
                                       long extendedHighestSequence, long jitter, long lastSr, long delaySinceLastSr) {
        Objects.checkFromIndexSize(off, RtcpTypes.REPORT_BLOCK_LENGTH, buf.length);
        long lost = Math.max(-0x80_0000L, Math.min(0x7F_FFFFL, cumulativeLost));
        BigEndian.put32(buf, off, ssrc);
        buf[off + 4] = (byte) fractionLost;
        BigEndian.put24(buf, off + 5, (int) lost);
        BigEndian.put32(buf, off + 8, extendedHighestSequence);
        BigEndian.put32(buf, off + 12, jitter);
        BigEndian.put32(buf, off + 16, lastSr);
        BigEndian.put32(buf, off + 20, delaySinceLastSr);
        return RtcpTypes.REPORT_BLOCK_LENGTH;
    }

    public static int writeReportBlock(byte[] buf, int off, ReportBlock b) {
        return writeReportBlock(buf, off, b.ssrc(), b.fractionLost(), b.cumulativeLost(), b.extendedHighestSequence(),
                b.jitter(), b.lastSr(), b.delaySinceLastSr());
    }

    /** A complete receiver report with {@code blocks} (allocation-free callers use the primitive form). */
    public static int writeReceiverReport(byte[] buf, int off, long ssrc, List<ReportBlock> blocks) {
        int n = writeReceiverReport(buf, off, ssrc, blocks.size());
        for (ReportBlock b : blocks) n += writeReportBlock(buf, off + n, b);
        return n;
    }

    /** SDES with one chunk holding a CNAME item for {@code ssrc}; {@code cname} is UTF-8, at most 255 bytes. */
    public static int writeSdesCname(byte[] buf, int off, long ssrc, byte[] cname) {
        if (cname.length > 255) throw new IllegalArgumentException("CNAME longer than 255 bytes");
        // chunk: SSRC, item type, item length, text, then at least one zero byte (END) padding to a 32-bit boundary
        int chunk = (4 + 2 + cname.length + 1 + 3) & ~3;
        int total = RtcpTypes.HEADER_LENGTH + chunk;
        Objects.checkFromIndexSize(off, total, buf.length);
        header(buf, off, 1, RtcpTypes.SDES, total);
        BigEndian.put32(buf, off + 4, ssrc);
        buf[off + 8] = SDES_CNAME;
        buf[off + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, buf, off + 10, cname.length);
        for (int i = off + 10 + cname.length; i < off + total; i++) buf[i] = 0;
        return total;
    }

    /** Picture Loss Indication for {@code mediaSsrc}. Returns 12. */
    public static int writePli(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        Objects.checkFromIndexSize(off, PLI_LENGTH, buf.length);
        header(buf, off, RtcpTypes.FMT_PLI, RtcpTypes.PSFB, PLI_LENGTH);
        BigEndian.put32(buf, off + 4, senderSsrc);
        BigEndian.put32(buf, off + 8, mediaSsrc);
        return PLI_LENGTH;
    }

    /** Full Intra Request with one entry; the header's media SSRC is 0 as RFC 5104 §4.3.1.1 requires. Returns 20. */
    public static int writeFir(byte[] buf, int off, long senderSsrc, long mediaSsrc, int sequenceNumber) {
        Objects.checkFromIndexSize(off, FIR_LENGTH, buf.length);
        header(buf, off, RtcpTypes.FMT_FIR, RtcpTypes.PSFB, FIR_LENGTH);
        BigEndian.put32(buf, off + 4, senderSsrc);
        BigEndian.put32(buf, off + 8, 0);
        BigEndian.put32(buf, off + 12, mediaSsrc);
        buf[off + 16] = (byte) sequenceNumber;
        buf[off + 17] = buf[off + 18] = buf[off + 19] = 0;
        return FIR_LENGTH;
    }

    /**
     * Generic NACK naming {@code count} lost sequence numbers from {@code seqs}, given oldest first; consecutive ones
     * within 16 of a PID share its BLP. Returns 12 + 4 × (PID/BLP pairs).
     */
    public static int writeNack(byte[] buf, int off, long senderSsrc, long mediaSsrc, int[] seqs, int count) {
        if (count < 1 || count > seqs.length) throw new IllegalArgumentException("count " + count);
        Objects.checkFromIndexSize(off, RtcpTypes.FEEDBACK_HEADER_LENGTH, buf.length);
        int pos = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        int i = 0;
        while (i < count) {
            int pid = seqs[i] & SequenceNumbers.MASK;
            int blp = 0;
            int j = i + 1;
            while (j < count) {
                int d = (seqs[j] - pid) & SequenceNumbers.MASK;
                if (d > 16) break;
                if (d > 0) blp |= 1 << (d - 1);
                j++;
            }
            Objects.checkFromIndexSize(pos, 4, buf.length);
            BigEndian.put16(buf, pos, pid);
            BigEndian.put16(buf, pos + 2, blp);
            pos += 4;
            i = j;
        }
        int total = pos - off;
        header(buf, off, RtcpTypes.FMT_NACK, RtcpTypes.RTPFB, total);
        BigEndian.put32(buf, off + 4, senderSsrc);
        BigEndian.put32(buf, off + 8, mediaSsrc);
        return total;
    }

    /**
     * Receiver Estimated Maximum Bitrate (PSFB fmt 15, "REMB", draft-alvestrand-rmcat-remb-03 §2.2) for the first
     * {@code count} SSRCs of {@code ssrcs}; the media SSRC field is 0. The bitrate is written as an 18-bit mantissa
     * and 6-bit exponent, rounding down. Returns 20 + 4 × count.
     */
    public static int writeRemb(byte[] buf, int off, long senderSsrc, long bitrate, long[] ssrcs, int count) {
        if (count < 0 || count > 255 || count > ssrcs.length) throw new IllegalArgumentException("count " + count);
        if (bitrate < 0) throw new IllegalArgumentException("bitrate " + bitrate);
        int total = RtcpTypes.FEEDBACK_HEADER_LENGTH + 8 + 4 * count;
        Objects.checkFromIndexSize(off, total, buf.length);
        long mantissa = bitrate;
        int exp = 0;
        while (mantissa > 0x3FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        header(buf, off, RtcpTypes.FMT_AFB, RtcpTypes.PSFB, total);
        BigEndian.put32(buf, off + 4, senderSsrc);
        BigEndian.put32(buf, off + 8, 0);
        int f = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        buf[f] = 'R';
        buf[f + 1] = 'E';
        buf[f + 2] = 'M';
        buf[f + 3] = 'B';
        buf[f + 4] = (byte) count;
        buf[f + 5] = (byte) (exp << 2 | (int) (mantissa >>> 16));
        BigEndian.put16(buf, f + 6, (int) mantissa);
        for (int i = 0; i < count; i++) BigEndian.put32(buf, f + 8 + 4 * i, ssrcs[i]);
        return total;
    }

    private static void checkBlocks(int blockCount) {
        if (blockCount < 0 || blockCount > 31) throw new IllegalArgumentException("report blocks: " + blockCount);
    }
}
