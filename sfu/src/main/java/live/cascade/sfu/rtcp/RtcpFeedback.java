package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of the common header of an RTPFB (205) or PSFB (206) feedback packet (RFC 4585 §6.1). */
public final class RtcpFeedback {
    private static final int REMB_IDENTIFIER = 'R' << 24 | 'E' << 16 | 'M' << 8 | 'B';

    private byte[] buf = new byte[0];
    private int off;
    private int len;
    private int packetType;
    private int format;

    public RtcpStatus parse(byte[] buf, int off, int len) {
        if (!BigEndian.inBounds(buf, off, len)) return RtcpStatus.BAD_BOUNDS;
        int pt = len >= 2 ? buf[off + 1] & 0xFF : 0;
        RtcpStatus s = RtcpTypes.check(buf, off, len, pt == RtcpTypes.PSFB ? RtcpTypes.PSFB : RtcpTypes.RTPFB,
                RtcpTypes.FEEDBACK_HEADER_LENGTH);
        if (s != RtcpStatus.OK) return s;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.packetType = pt;
        this.format = buf[off] & 0x1F;
        return RtcpStatus.OK;
    }

    public int packetType() { return packetType; }

    public int format() { return format; }

    public long senderSsrc() { return BigEndian.u32(buf, off + 4); }

    public long mediaSsrc() { return BigEndian.u32(buf, off + 8); }

    public int fciOffset() { return off + RtcpTypes.FEEDBACK_HEADER_LENGTH; }

    public int fciLength() { return len - RtcpTypes.FEEDBACK_HEADER_LENGTH; }

    public FeedbackKind kind() {
        if (packetType == RtcpTypes.RTPFB) {
            return switch (format) {
                case RtcpTypes.FMT_NACK -> FeedbackKind.NACK;
                case RtcpTypes.FMT_TRANSPORT_CC -> FeedbackKind.TRANSPORT_CC;
                default -> FeedbackKind.OTHER;
            };
        }
        return switch (format) {
            case RtcpTypes.FMT_PLI -> FeedbackKind.PLI;
            case RtcpTypes.FMT_FIR -> FeedbackKind.FIR;
            case RtcpTypes.FMT_AFB -> fciLength() >= 4 && BigEndian.u32(buf, fciOffset()) == REMB_IDENTIFIER
                    ? FeedbackKind.REMB : FeedbackKind.OTHER;
            default -> FeedbackKind.OTHER;
        };
    }

    static boolean isRembIdentifier(byte[] buf, int at) { return BigEndian.u32(buf, at) == REMB_IDENTIFIER; }
}
