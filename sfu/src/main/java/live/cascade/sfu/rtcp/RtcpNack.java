package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.SequenceNumbers;

/** View of a generic NACK (RTPFB fmt 1, RFC 4585 §6.2.1): PID/BLP pairs naming lost sequence numbers. */
public final class RtcpNack {
    private byte[] buf = new byte[0];
    private int fci;
    private int items;
    private long senderSsrc;
    private long mediaSsrc;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        items = 0;
        RtcpStatus s = RtcpTypes.checkFeedback(buf, off, len, RtcpTypes.RTPFB, RtcpTypes.FMT_NACK);
        if (s != RtcpStatus.OK) return s;
        int fciLen = len - RtcpTypes.FEEDBACK_HEADER_LENGTH;
        if (fciLen < 4 || fciLen % 4 != 0) return RtcpStatus.BAD_FCI;
        this.buf = buf;
        this.fci = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        this.items = fciLen / 4;
        this.senderSsrc = BigEndian.u32(buf, off + 4);
        this.mediaSsrc = BigEndian.u32(buf, off + 8);
        return RtcpStatus.OK;
    }

    public long senderSsrc() { return senderSsrc; }

    public long mediaSsrc() { return mediaSsrc; }

    public int itemCount() { return items; }

    public int pid(int i) { return BigEndian.u16(buf, item(i)); }

    public int blp(int i) { return BigEndian.u16(buf, item(i) + 2); }

    private int item(int i) {
        if (i < 0 || i >= items) throw new IndexOutOfBoundsException(i);
        return fci + 4 * i;
    }

    /** Number of sequence numbers named (each PID plus the set BLP bits). */
    public int lostCount() {
        int n = 0;
        for (int i = 0; i < items; i++) n += 1 + Integer.bitCount(blp(i));
        return n;
    }

    /** Writes the named sequence numbers into {@code out} (as many as fit) and returns how many were written. */
    public int lostSequenceNumbers(int[] out) {
        int n = 0;
        for (int i = 0; i < items && n < out.length; i++) {
            int pid = pid(i);
            int blp = blp(i);
            out[n++] = pid;
            for (int bit = 0; bit < 16 && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) out[n++] = SequenceNumbers.add(pid, bit + 1);
            }
        }
        return n;
    }
}
