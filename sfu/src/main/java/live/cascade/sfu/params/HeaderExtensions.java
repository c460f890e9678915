package live.cascade.sfu.params;

/**
 * The negotiated RTP header-extension ids of one side (1-14 one-byte or 1-255 two-byte), 0 when not negotiated.
 * The media plane reads extensions on ingress by the publisher's ids and rewrites them to each viewer's ids.
 */
public record HeaderExtensions(int mid, int absSendTime, int transportCc, int audioLevel, int rid, int repairedRid) {
    public static final HeaderExtensions NONE = new HeaderExtensions(0, 0, 0, 0, 0, 0);

    public static final String URI_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String URI_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String URI_TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String URI_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String URI_RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String URI_REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    public HeaderExtensions {
        check(mid); check(absSendTime); check(transportCc); check(audioLevel); check(rid); check(repairedRid);
    }

    private static void check(int id) {
        if (id < 0 || id > 255) throw new IllegalArgumentException("header extension id out of range: " + id);
    }
}
