package live.cascade.ingest.bridge;

import java.util.List;

/**
 * How a channel's non-WebRTC publish is doing, for the studio's stream health.
 *
 * @param protocol  {@code rtmp} or {@code rtmps} (later {@code srt})
 * @param video     the video codec as sent ({@code H264 (profile-level-id 640028)}, {@code HEVC Main, level 3.1}, ...), or null before
 *                  its sequence header
 * @param audio     {@code AAC → Opus} once audio flows, else null
 * @param warnings  what the creator should change, each a sentence with the fix (B-frames, a codec WebRTC viewers
 *                  cannot take)
 * @param webrtcVideo whether WebRTC viewers get the video; false for HEVC and AV1, which go to HLS and the recording only
 */
public record IngestStatus(String protocol, String video, String audio, List<String> warnings, boolean webrtcVideo) {
    public IngestStatus {
        warnings = List.copyOf(warnings);
    }
}
