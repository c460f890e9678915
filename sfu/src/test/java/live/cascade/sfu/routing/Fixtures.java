package live.cascade.sfu.routing;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.testkit.RtpPacketBuilder;

/** A typical publication (Opus + H.264 with RTX) and viewers that negotiated other ids. */
final class Fixtures {
    static final long AUDIO_SSRC = 0x1000;
    static final long VIDEO_SSRC = 0x2000;
    static final long VIDEO_RTX_SSRC = 0x2001;
    static final int OPUS_PT = 111;
    static final int H264_PT = 102;
    static final int H264_RTX_PT = 103;
    /** Publisher ids: mid 1, abs-send-time 2, transport-cc 3, audio-level 4. */
    static final HeaderExtensions PUBLISHER_EXT = new HeaderExtensions(1, 2, 3, 4, 0, 0);

    private Fixtures() {}

    static Codec opus(int pt) { return new Codec(pt, "opus", 48_000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc"), -1); }

    static Codec h264(int pt, int rtxPt) {
        return new Codec(pt, "H264", 90_000, 1, "packetization-mode=1;profile-level-id=42e01f",
                List.of("nack", "nack pli", "transport-cc"), rtxPt);
    }

    static Codec vp8(int pt) { return new Codec(pt, "VP8", 90_000, 1, "", List.of("nack pli"), -1); }

    static List<TrackParameters> publisher(long audioSsrc, long videoSsrc, long rtxSsrc) {
        return List.of(
                new TrackParameters(MediaKind.AUDIO, "0", opus(OPUS_PT), audioSsrc, 0, PUBLISHER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", h264(H264_PT, H264_RTX_PT), videoSsrc, rtxSsrc, PUBLISHER_EXT));
    }

    static List<TrackParameters> publisher() { return publisher(AUDIO_SSRC, VIDEO_SSRC, VIDEO_RTX_SSRC); }

    static List<TrackParameters> viewer(long audioSsrc, int audioPt, long videoSsrc, int videoPt, String audioMid,
                                        String videoMid, HeaderExtensions ext) {
        return List.of(
                new TrackParameters(MediaKind.AUDIO, audioMid, opus(audioPt), audioSsrc, 0, ext),
                new TrackParameters(MediaKind.VIDEO, videoMid, h264(videoPt, -1), videoSsrc, 0, ext));
    }

    static RouterConfig config() {
        return RouterConfig.defaults()
                .withKeyframeRequestInterval(Duration.ofMillis(500))
                .withReportInterval(Duration.ofSeconds(1))
                .withLocalSsrc(0x5EED)
                .withCname("test-cname");
    }

    static Router router(ManualClock clock, RouterListener listener) {
        return new Router("chan-1", publisher(), listener, config(), clock, new SplittableRandom(2026));
    }

    // H.264 payloads
    static final byte[] IDR = bytes(0x65, 0x88, 0x84, 0x00, 0x33);
    static final byte[] DELTA = bytes(0x41, 0x9A, 0x02, 0x11);
    static final byte[] OPUS = bytes(0x78, 0x01, 0x02);

    static RtpPacketBuilder video(int seq, long ts, byte[] payload) {
        return rtp().ssrc(VIDEO_SSRC).pt(H264_PT).seq(seq).ts(ts).payload(payload)
                .ext1(1, bytes('1')).ext1(3, bytes(0, seq & 0xFF));
    }

    static RtpPacketBuilder audio(int seq, long ts) {
        return rtp().ssrc(AUDIO_SSRC).pt(OPUS_PT).seq(seq).ts(ts).payload(OPUS)
                .ext1(1, bytes('0')).ext1(4, bytes(0x90)).ext1(3, bytes(0, seq & 0xFF));
    }
}
