package live.cascade.ingest.bridge;

import java.util.List;
import live.cascade.ingest.flv.AvcConfig;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;

/** The tracks an RTMP/SRT publish declares: to the router (H.264 and Opus), and to the tap alone (HEVC, AV1). */
final class IngestTracks {
    static final int VIDEO_PT = 102;
    static final int AUDIO_PT = 111;

    private IngestTracks() {}

    /** H.264 with the encoder's profile, and Opus stereo; Opus alone when {@code avc} is null. */
    static List<TrackParameters> router(AvcConfig avc, long videoSsrc, long audioSsrc) {
        TrackParameters opus = new TrackParameters(MediaKind.AUDIO, "1", new Codec(AUDIO_PT, "opus", 48000, 2,
                "minptime=10;useinbandfec=1", List.of(), -1), audioSsrc, 0, HeaderExtensions.NONE);
        if (avc == null) return List.of(opus); // audio only, or HEVC/AV1 (whose video only the tap gets)
        String fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + avc.profileLevelId();
        return List.of(
                new TrackParameters(MediaKind.VIDEO, "0", new Codec(VIDEO_PT, "H264", 90000, 1, fmtp, List.of(), -1),
                        videoSsrc, 0, HeaderExtensions.NONE),
                opus);
    }

    /** The video ({@code H265}, {@code AV1}) the tap is handed directly ({@link DirectVideo}); the router never carries it. */
    static TrackParameters direct(String codec, long ssrc) {
        return new TrackParameters(MediaKind.VIDEO, "0", new Codec(VIDEO_PT, codec, 90000, 1, "", List.of(), -1), ssrc, 0,
                HeaderExtensions.NONE);
    }
}
