package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/**
 * View of transport-wide congestion control feedback (RTPFB fmt 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): the fixed part from {@link #parse}, and the packet status
 * chunks and receive deltas from {@link #decode}, which checks that they are consistent with the packet's length.
 */
public final class RtcpTransportCc {
    /** Symbols of the status chunks. */
    public static final int NOT_RECEIVED = 0;
    public static final int SMALL_DELTA = 1;
    public static final int LARGE_DELTA = 2;

    private byte[] buf = new byte[0];
    private int fci;
    private int end;
    private int received;
    private int lost;

    /** Checks the header; {@code len} excludes RTCP padding (as {@link RtcpWalker#contentLength()} gives it). */
    public RtcpStatus parse(byte[] buf, int off, int len) {
        received = lost = 0;
        RtcpStatus s = RtcpTypes.checkFeedback(buf, off, len, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC);
        if (s != RtcpStatus.OK) return s;
        if (len - RtcpTypes.FEEDBACK_HEADER_LENGTH < 8) return RtcpStatus.BAD_FCI;
        this.buf = buf;
        this.fci = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        this.end = off + len;
        return RtcpStatus.OK;
    }

    public long senderSsrc() { return BigEndian.u32(buf, fci - 8); }

    public long mediaSsrc() { return BigEndian.u32(buf, fci - 4); }

    public int baseSequenceNumber() { return BigEndian.u16(buf, fci); }

    public int packetStatusCount() { return BigEndian.u16(buf, fci + 2); }

    /** Signed, in multiples of 64 ms. */
    public int referenceTime() { return BigEndian.s24(buf, fci + 4); }

    public int feedbackPacketCount() { return BigEndian.u8(buf, fci + 7); }

    /**
     * Walks the status chunks and receive deltas after a successful {@link #parse}. When {@code statuses} and
     * {@code deltas} are given, fills them for the first {@code min(count, length)} packets: the symbol
     * ({@link #NOT_RECEIVED}, {@link #SMALL_DELTA}, {@link #LARGE_DELTA}) and the delta in 250 µs ticks (0 when not
     * received). Never throws and allocates nothing; {@link #receivedCount()} and {@link #lostCount()} follow.
     */
    public RtcpStatus decode(byte[] statuses, int[] deltas) {
        received = lost = 0;
        int count = packetStatusCount();
        int pos = fci + 8;
        // First pass: chunks, counting how many deltas follow and of what size.
        int deltaBytes = 0;
        int n = 0;
        int chunkEnd = pos;
        while (n < count) {
            if (chunkEnd + 2 > end) return RtcpStatus.TRUNCATED;
            int chunk = BigEndian.u16(buf, chunkEnd);
            chunkEnd += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >>> 13 & 0x3;
                int run = chunk & 0x1FFF;
                if (symbol == 3) return RtcpStatus.BAD_FCI;
                if (run == 0) return RtcpStatus.BAD_FCI;
                for (int k = 0; k < run && n < count; k++) deltaBytes += record(statuses, n++, symbol);
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 0; k < 14 && n < count; k++) deltaBytes += record(statuses, n++, chunk >>> (13 - k) & 0x1);
            } else {
                for (int k = 0; k < 7 && n < count; k++) {
                    int symbol = chunk >>> (12 - 2 * k) & 0x3;
                    if (symbol == 3) return RtcpStatus.BAD_FCI;
                    deltaBytes += record(statuses, n++, symbol);
                }
            }
        }
        if (chunkEnd + deltaBytes > end) return RtcpStatus.TRUNCATED;
        // Second pass: the deltas, in status order.
        if (deltas != null) {
            int d = chunkEnd;
            for (int i = 0; i < count && i < deltas.length; i++) {
                int symbol = statuses != null && i < statuses.length ? statuses[i] : -1;
                if (symbol < 0) break; // statuses too short to say which sizes follow
                if (symbol == SMALL_DELTA) {
                    deltas[i] = buf[d++] & 0xFF;
                } else if (symbol == LARGE_DELTA) {
                    deltas[i] = (short) BigEndian.u16(buf, d);
                    d += 2;
                } else {
                    deltas[i] = 0;
                }
            }
        }
        return RtcpStatus.OK;
    }

    private int record(byte[] statuses, int i, int symbol) {
        if (statuses != null && i < statuses.length) statuses[i] = (byte) symbol;
        if (symbol == NOT_RECEIVED) {
            lost++;
            return 0;
        }
        received++;
        return symbol;
    }

    /** Packets reported received by the last {@link #decode}. */
    public int receivedCount() { return received; }

    /** Packets reported not received by the last {@link #decode}. */
    public int lostCount() { return lost; }
}
