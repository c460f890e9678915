package live.cascade.signaling.negotiation;

import java.util.List;

/**
 * The codecs we accept from publishers, best first, by {@code a=rtpmap} encoding name (case-insensitive).
 *
 * @param audio               e.g. {@code opus}
 * @param video               e.g. {@code H264, VP8, VP9, AV1}
 * @param h264ProfileLevelIds among several H.264 offers, these profile-level-ids win in this order; any other
 *                            packetization-mode=1 H.264 is still accepted after them
 */
public record CodecPreferences(List<String> audio, List<String> video, List<String> h264ProfileLevelIds) {
    /**
     * Opus; H.264 first because the HLS fallback and Safari viewers both want it, constrained baseline first because
     * every decoder (and Cloudflare-style strict players) takes it; then the royalty-free codecs.
     */
    public static final CodecPreferences DEFAULT =
            new CodecPreferences(List.of("opus"), List.of("H264", "VP8", "VP9", "AV1"), List.of("42e01f", "42001f"));

    public CodecPreferences {
        audio = List.copyOf(audio);
        video = List.copyOf(video);
        // Offers write profile-level-id in either case; compare in lower case.
        h264ProfileLevelIds = h264ProfileLevelIds.stream().map(id -> id.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
