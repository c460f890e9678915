package live.cascade.sfu.testkit.client;

import java.util.concurrent.ThreadLocalRandom;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.IceParameters;

/**
 * Writes the client's SDP offer by hand, shaped like a browser's (BUNDLE, rtcp-mux, one MediaStream, a mid per
 * section) but with one codec per section: Opus on payload type {@value #OPUS_PT} and H.264 (constrained baseline,
 * packetization-mode 1) on {@value #H264_PT}, with the mid header extension on id {@value #MID_EXT_ID}.
 */
public final class OfferWriter {
    public static final int OPUS_PT = 111;
    public static final int H264_PT = 102;
    public static final int MID_EXT_ID = 4;
    public static final int RID_EXT_ID = 10;
    public static final String STREAM_ID = "packet-client";

    private OfferWriter() {}

    /** A WHIP offer: sendonly sections announcing our SSRCs ({@code 0} to leave a kind out). */
    public static String publisher(IceParameters ice, DtlsFingerprint fingerprint, boolean passive, long audioSsrc,
                                   long videoSsrc) {
        return write(ice, fingerprint, passive, "sendonly", audioSsrc, videoSsrc, audioSsrc != 0, videoSsrc != 0, java.util.List.of());
    }

    /**
     * A WHIP offer whose video is sent as simulcast layers with these rids (Chromium's shape: {@code a=rid} send lines,
     * {@code a=simulcast:send}, the rtp-stream-id extension on id {@value #RID_EXT_ID}, no video {@code a=ssrc}).
     */
    public static String simulcastPublisher(IceParameters ice, DtlsFingerprint fingerprint, boolean passive, long audioSsrc,
                                            java.util.List<String> rids) {
        return write(ice, fingerprint, passive, "sendonly", audioSsrc, 0, audioSsrc != 0, true, rids);
    }

    /** A WHEP offer: recvonly sections. */
    public static String viewer(IceParameters ice, DtlsFingerprint fingerprint, boolean passive, boolean audio, boolean video) {
        return write(ice, fingerprint, passive, "recvonly", 0, 0, audio, video, java.util.List.of());
    }

    private static String write(IceParameters ice, DtlsFingerprint fp, boolean passive, String direction,
                                long audioSsrc, long videoSsrc, boolean audio, boolean video, java.util.List<String> rids) {
        StringBuilder b = new StringBuilder();
        line(b, "v=0");
        line(b, "o=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(b, "s=-");
        line(b, "t=0 0");
        line(b, "a=group:BUNDLE" + (audio ? " 0" : "") + (video ? " 1" : ""));
        line(b, "a=msid-semantic: WMS " + STREAM_ID);
        if (audio) {
            section(b, "audio", "0", OPUS_PT, ice, fp, passive, direction, audioSsrc);
            line(b, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
            line(b, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
            ssrc(b, audioSsrc, "audio");
        }
        if (video) {
            section(b, "video", "1", H264_PT, ice, fp, passive, direction, videoSsrc);
            line(b, "a=rtpmap:" + H264_PT + " H264/90000");
            line(b, "a=rtcp-fb:" + H264_PT + " nack");
            line(b, "a=rtcp-fb:" + H264_PT + " nack pli");
            line(b, "a=fmtp:" + H264_PT + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
            ssrc(b, videoSsrc, "video");
            if (!rids.isEmpty()) {
                line(b, "a=extmap:" + RID_EXT_ID + " " + HeaderExtensions.URI_RID);
                line(b, "a=msid:" + STREAM_ID + " video");
                for (String rid : rids) line(b, "a=rid:" + rid + " send");
                line(b, "a=simulcast:send " + String.join(";", rids));
            }
        }
        return b.toString();
    }

    private static void section(StringBuilder b, String kind, String mid, int pt, IceParameters ice, DtlsFingerprint fp,
                                boolean passive, String direction, long ssrc) {
        line(b, "m=" + kind + " 9 UDP/TLS/RTP/SAVPF " + pt);
        line(b, "c=IN IP4 0.0.0.0");
        line(b, "a=rtcp:9 IN IP4 0.0.0.0");
        line(b, "a=ice-ufrag:" + ice.ufrag());
        line(b, "a=ice-pwd:" + ice.password());
        line(b, "a=fingerprint:" + fp.algorithm() + " " + fp.value());
        line(b, "a=setup:" + (passive ? "passive" : "actpass"));
        line(b, "a=mid:" + mid);
        line(b, "a=extmap:" + MID_EXT_ID + " " + HeaderExtensions.URI_MID);
        line(b, "a=" + direction);
        if (ssrc != 0) line(b, "a=msid:" + STREAM_ID + " " + kind);
        line(b, "a=rtcp-mux");
        line(b, "a=rtcp-rsize");
    }

    private static void ssrc(StringBuilder b, long ssrc, String kind) {
        if (ssrc == 0) return;
        line(b, "a=ssrc:" + ssrc + " cname:" + STREAM_ID);
        line(b, "a=ssrc:" + ssrc + " msid:" + STREAM_ID + " " + kind);
    }

    private static void line(StringBuilder b, String line) {
        b.append(line).append("\r\n");
    }
}
