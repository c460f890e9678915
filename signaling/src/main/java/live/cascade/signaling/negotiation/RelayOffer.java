package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.IceParameters;

/**
 * The WHEP offer one node sends another to pull a channel (the relay): recvonly audio and video in one BUNDLE, every
 * codec a publisher may have used (the origin answers with the one its publisher sends; we never transcode), RTX for
 * each video codec, NACK, PLI, FIR, REMB and transport-cc feedback, and the header extensions the node forwards
 * (mid, abs-send-time, transport-cc, audio level). {@code a=setup:active}: we are the DTLS client, and the controlling
 * ICE agent toward the origin's ICE-lite. No candidates: the origin, being ICE-lite, never checks toward us.
 */
public final class RelayOffer {
    /** Video formats: payload type, RTX payload type, rtpmap, fmtp (empty for none). H.264 in each profile a publisher may send. */
    private record Format(int pt, int rtx, String rtpmap, String fmtp) {}

    private static final List<Format> VIDEO = List.of(
            new Format(96, 97, "VP8/90000", ""),
            new Format(98, 99, "VP9/90000", "profile-id=0"),
            new Format(100, 101, "VP9/90000", "profile-id=2"),
            new Format(102, 103, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
            new Format(104, 105, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f"),
            new Format(106, 107, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
            new Format(108, 109, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f"),
            new Format(112, 113, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f"),
            new Format(114, 115, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=64001f"),
            new Format(116, 117, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"),
            new Format(118, 119, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f"),
            new Format(45, 46, "AV1/90000", "level-idx=5;profile=0;tier=0"));
    private static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    private static final int OPUS_PT = 111;
    private static final String STREAM = "cascade-relay";

    private RelayOffer() {}

    /** The offer text with our ICE credentials (which the relay's transport will then use) and certificate. */
    public static String write(IceParameters local, DtlsFingerprint fingerprint) {
        StringBuilder b = new StringBuilder(4096);
        line(b, "v=0");
        line(b, "o=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(b, "s=-");
        line(b, "t=0 0");
        line(b, "a=group:BUNDLE 0 1");
        line(b, "a=msid-semantic: WMS");

        line(b, "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS_PT);
        common(b, "0", local, fingerprint);
        line(b, "a=extmap:1 " + HeaderExtensions.URI_AUDIO_LEVEL);
        line(b, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
        line(b, "a=rtcp-fb:" + OPUS_PT + " transport-cc");
        line(b, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");

        StringBuilder formats = new StringBuilder();
        for (Format f : VIDEO) formats.append(' ').append(f.pt()).append(' ').append(f.rtx());
        line(b, "m=video 9 UDP/TLS/RTP/SAVPF" + formats);
        common(b, "1", local, fingerprint);
        for (Format f : VIDEO) {
            line(b, "a=rtpmap:" + f.pt() + " " + f.rtpmap());
            for (String fb : VIDEO_FEEDBACK) line(b, "a=rtcp-fb:" + f.pt() + " " + fb);
            if (!f.fmtp().isEmpty()) line(b, "a=fmtp:" + f.pt() + " " + f.fmtp());
            line(b, "a=rtpmap:" + f.rtx() + " rtx/90000");
            line(b, "a=fmtp:" + f.rtx() + " apt=" + f.pt());
        }
        return b.toString();
    }

    private static void common(StringBuilder b, String mid, IceParameters local, DtlsFingerprint fingerprint) {
        line(b, "c=IN IP4 0.0.0.0");
        line(b, "a=rtcp:9 IN IP4 0.0.0.0");
        line(b, "a=ice-ufrag:" + local.ufrag());
        line(b, "a=ice-pwd:" + local.password());
        line(b, "a=fingerprint:" + fingerprint.algorithm() + " " + fingerprint.value());
        line(b, "a=setup:active");
        line(b, "a=mid:" + mid);
        line(b, "a=extmap:2 " + HeaderExtensions.URI_ABS_SEND_TIME);
        line(b, "a=extmap:3 " + HeaderExtensions.URI_TRANSPORT_CC);
        line(b, "a=extmap:4 " + HeaderExtensions.URI_MID);
        line(b, "a=recvonly");
        line(b, "a=rtcp-mux");
        line(b, "a=rtcp-rsize");
        line(b, "a=msid:" + STREAM + " " + STREAM + "-" + mid);
    }

    private static void line(StringBuilder b, String text) {
        b.append(text).append("\r\n");
    }
}
