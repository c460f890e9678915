package live.cascade.sfu.codec;

import java.util.Locale;

/** The payload formats the media plane knows how to look inside (for keyframe detection). */
public enum PayloadFormat {
    H264, H265, VP8, VP9, AV1, OPUS, OTHER_AUDIO, OTHER_VIDEO;

    /** Maps an {@code a=rtpmap} encoding name; {@code audio} tells unknown names apart. */
    public static PayloadFormat of(String encodingName, boolean audio) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "H264" -> H264;
            case "H265", "HEVC" -> H265;
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "AV1", "AV1X" -> AV1;
            case "OPUS" -> OPUS;
            default -> audio ? OTHER_AUDIO : OTHER_VIDEO;
        };
    }

    public boolean isAudio() { return this == OPUS || this == OTHER_AUDIO; }
}
