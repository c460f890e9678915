package live.cascade.hls.record;

/**
 * When the tap asks the publisher for a keyframe for the recording's sake. A recording is fragmented at keyframes and
 * clips start at one, so a publisher that sends keyframes only when asked (Chromium does) would leave its broadcast
 * recorded as a single fragment: nothing of it playable until it ends, all of it lost if the node dies, and every clip
 * starting at the beginning. The HLS pass-through asks for a keyframe every segment anyway; without it (the source
 * rendition encoded, live HLS off, a ladder without {@code source}) this asks once {@link #INTERVAL_MICROS} pass
 * without one, and again every second until one comes (a request can be lost).
 *
 * <p>The interval is long on purpose: every keyframe asked of a browser publisher costs its WebRTC viewers a few
 * milliseconds of jitter buffer (issue 16), and a clip may start up to one interval early.</p>
 */
public final class RecordingKeyframes {
    /** Longest stretch of the recording without a keyframe before one is asked for. */
    public static final long INTERVAL_MICROS = 10_000_000;
    /** An unanswered request is repeated this often. */
    static final long ASK_AGAIN_MICROS = 1_000_000;
    private static final long NONE = Long.MIN_VALUE;

    private long lastKeyframe = NONE;
    private long lastAsk = NONE;

    /** @return whether to ask the publisher for a keyframe now */
    public boolean onVideoFrame(long pts, boolean keyframe) {
        if (keyframe) {
            lastKeyframe = pts;
            lastAsk = NONE;
            return false;
        }
        if (lastKeyframe == NONE || pts - lastKeyframe < INTERVAL_MICROS) return false;
        if (lastAsk != NONE && pts - lastAsk < ASK_AGAIN_MICROS) return false;
        lastAsk = pts;
        return true;
    }

    /** A new source stream (reconnect): counting starts again at its first keyframe. */
    public void restart() {
        lastKeyframe = NONE;
        lastAsk = NONE;
    }
}
