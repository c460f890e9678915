package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** RTCP packet types and feedback formats we use (RFC 3550, 4585, 5104, draft-alvestrand-rmcat-remb, transport-cc). */
public final class RtcpTypes {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    public static final int XR = 207;

    /** RTPFB formats. */
    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB formats. */
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    public static final int HEADER_LENGTH = 4;
    /** Common feedback header: 4-byte header, sender SSRC, media SSRC. */
    public static final int FEEDBACK_HEADER_LENGTH = 12;
    public static final int REPORT_BLOCK_LENGTH = 24;

    private RtcpTypes() {}

    /** Shared first checks of every view: bounds, minimum size, version, packet type. */
    static RtcpStatus check(byte[] buf, int off, int len, int packetType, int minLength) {
        if (!BigEndian.inBounds(buf, off, len)) return RtcpStatus.BAD_BOUNDS;
        if (len < HEADER_LENGTH) return RtcpStatus.TOO_SHORT;
        if ((buf[off] & 0xFF) >>> 6 != 2) return RtcpStatus.BAD_VERSION;
        if ((buf[off + 1] & 0xFF) != packetType) return RtcpStatus.WRONG_TYPE;
        if (len < minLength) return RtcpStatus.TOO_SHORT;
        return RtcpStatus.OK;
    }

    /** As {@link #check}, and the feedback format must be {@code format}. */
    static RtcpStatus checkFeedback(byte[] buf, int off, int len, int packetType, int format) {
        RtcpStatus s = check(buf, off, len, packetType, FEEDBACK_HEADER_LENGTH);
        if (s != RtcpStatus.OK) return s;
        return (buf[off] & 0x1F) == format ? RtcpStatus.OK : RtcpStatus.WRONG_TYPE;
    }
}
