package live.cascade.ingest;

import java.util.Locale;

/**
 * What the node does with an RTMP/SRT publish whose H.264 has B-frames ({@code --ingest-bframes}). WebRTC has no
 * notion of frame reordering: browsers decode such a stream, but show frames in decode order until their buffer
 * untangles it, so motion stutters. HLS and recordings take B-frames as they are.
 */
public enum BFramePolicy {
    /** Take the stream as sent and tell the creator how to turn B-frames off (stream health, /metrics, onStatus). */
    WARN,
    /**
     * Refuse the publish before it goes live: the encoder gets an {@code onStatus} error saying how to turn B-frames
     * off, and the connection closes (logged once per publish, counted).
     */
    REJECT,
    /**
     * Take the stream and re-encode its video without B-frames (libx264 veryfast, zero-latency tuning: a decode and
     * an encode per such channel), from the first keyframe with B-frames on. Every viewer, HLS and the recording get
     * what the router carries, so the re-encode.
     */
    REENCODE;

    /** From the setting's text ({@code warn}, {@code reject}, {@code reencode}); null for anything else. */
    public static BFramePolicy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "warn" -> WARN;
            case "reject" -> REJECT;
            case "reencode" -> REENCODE;
            default -> null;
        };
    }
}
