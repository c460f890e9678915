package live.cascade.ingest.flv;

/**
 * The sequence header of an enhanced-RTMP video codec that WebRTC viewers here are not sent (HEVC, AV1): its video goes
 * to the broadcast's tap alone, for HLS and the recording (and restreams), copied as sent. What the ingest needs of
 * each: a description for the studio, the track's codec name, the configuration the tap's muxers take, and each frame
 * in the form the tap takes.
 */
public sealed interface DirectConfig permits HevcConfig, Av1Config {
    /** Enhanced RTMP's FourCC of HEVC. */
    String HEVC = "hvc1";
    /** Enhanced RTMP's FourCC of AV1. */
    String AV1 = "av01";

    /** Whether the ingest takes video of this FourCC to HLS and the recording only. */
    static boolean handles(String fourcc) {
        return fourcc.equals(HEVC) || fourcc.equals(AV1);
    }

    /**
     * The sequence header of {@code fourcc} (one {@link #handles} says yes to) from {@code d[off..off+len)}.
     *
     * @throws FlvException when it is malformed
     */
    static DirectConfig parse(String fourcc, byte[] d, int off, int len) {
        return fourcc.equals(AV1) ? Av1Config.parse(d, off, len) : HevcConfig.parse(d, off, len);
    }

    /** For the studio, e.g. {@code HEVC Main, level 3.1}. */
    String describe();

    /** The codec's name in track parameters ({@code H265}, {@code AV1}). */
    String trackCodec();

    /** The codec's name for people ({@code HEVC}, {@code AV1}). */
    String codecName();

    /** What the tap is given as the stream's configuration (see {@code BroadcastTap#directVideo}). */
    byte[] tapConfig();

    /**
     * A coded frame's payload from {@code off} in the form the tap takes (Annex B for HEVC, OBUs for AV1): {@code d}
     * itself when it could be used or changed in place, else a new array (then from 0); null when it is malformed.
     */
    byte[] toTapFrame(byte[] d, int off, boolean keyframe);
}
