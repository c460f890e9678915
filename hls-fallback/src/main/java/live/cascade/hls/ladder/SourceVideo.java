package live.cascade.hls.ladder;

/**
 * How the HLS {@code source} rendition of an H.264 publisher is made ({@code --hls-source}).
 *
 * <p>A copy costs nothing, but its segments can only start at the publisher's keyframes, and a WebRTC publisher sends
 * those only when asked: the tap asks before every segment, and every keyframe costs the publisher's WebRTC viewers
 * a few milliseconds of jitter buffer (issue 16). An encoded source has keyframes of its own and asks for none, for an
 * x264 encode at the source's size.</p>
 */
public enum SourceVideo {
    /** Passed through as sent. */
    COPY,
    /** Encoded with the ladder's encoder at the source's size. */
    ENCODE,
    /** Encoded for a WebRTC publisher (WHIP), copied for one that brings its own keyframe interval (RTMP, SRT). */
    AUTO;

    /** What this means for one publisher: {@link #COPY} or {@link #ENCODE}. */
    public SourceVideo forPublisher(boolean webrtc) {
        return this == AUTO ? (webrtc ? ENCODE : COPY) : this;
    }
}
