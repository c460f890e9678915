package live.cascade.sfu.rtp;

/**
 * View of the fixed part of transport-wide congestion control feedback (RTPFB fmt 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): enough to identify and account for it. The packet
 * status chunks and receive deltas are not decoded yet.
 */
public final class RtcpTransportCc {
    private byte[] buf = new byte[0];
    private int fci;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        RtcpStatus s = RtcpTypes.checkFeedback(buf, off, len, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC);
        if (s != RtcpStatus.OK) return s;
        if (len - RtcpTypes.FEEDBACK_HEADER_LENGTH < 8) return RtcpStatus.BAD_FCI;
        this.buf = buf;
        this.fci = off + RtcpTypes.FEEDBACK_HEADER_LENGTH;
        return RtcpStatus.OK;
    }

    public int baseSequenceNumber() { return BigEndian.u16(buf, fci); }

    public int packetStatusCount() { return BigEndian.u16(buf, fci + 2); }

    /** Signed, in multiples of 64 ms. */
    public int referenceTime() { return BigEndian.s24(buf, fci + 4); }

    public int feedbackPacketCount() { return BigEndian.u8(buf, fci + 7); }
}
