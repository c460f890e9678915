package live.cascade.hls.segment;

/**
 * Decides where segments start, for all renditions of a channel at once, one source video frame at a time.
 *
 * <ul>
 *   <li>The pass-through rendition can only start a segment at a keyframe of the publisher's: the first keyframe once
 *       the segment is (nearly) as long as the target.</li>
 *   <li>Encoded renditions start a segment at the same frame when there is a pass-through rendition, so all
 *       renditions line up. If the publisher's keyframes are too far apart (more than half a target late), they cut
 *       on their own (forced keyframes), as they always do without pass-through: a fixed GOP of the target length.</li>
 *   <li>While a pass-through segment nears its target without a keyframe in sight, the tap asks the publisher for one
 *       (browsers and FFmpeg answer; OBS does not, hence the 1–2 s keyframe interval in the docs), and asks again
 *       every second until one comes (Chromium sends keyframes only when asked, and a request can be lost). The
 *       keyframe that answers ends the segment however early it comes: one that did not would be a keyframe spent
 *       for nothing, and the next request would stretch the segment a second past its target.</li>
 * </ul>
 *
 * <p>Every keyframe asked for costs the WebRTC viewers too: it is several times a frame's size, the publisher's pacer
 * spreads it out, and Chromium's jitter buffer grows with the delay large frames arrive with (issue 16). So a browser
 * publisher is asked once a segment, as late as lets the answer arrive in time; with {@code --hls-source encode} there
 * is no pass-through rendition and it is asked nothing.</p>
 */
public final class SegmentCadence {
    /** Frame timestamps jitter; a keyframe this much before the target still ends the segment. */
    private static final long TOLERANCE_MICROS = 250_000;
    private static final long HALF_FRAME_MICROS = 16_000;
    /**
     * Asked this long before the target: a browser answers within a frame or two and a round trip, so the keyframe
     * lands inside the tolerance, and a slower answer still ends the segment (a little past its target).
     */
    private static final long ASK_AHEAD_MICROS = 200_000;
    /** A request the publisher did not answer (lost, or ignored under load) is repeated this often. */
    private static final long ASK_AGAIN_MICROS = 1_000_000;

    /** Where the frame falls. */
    public record Decision(boolean passthroughBoundary, boolean encodedBoundary, boolean requestKeyframe) {
    }

    private final long targetMicros;
    private final boolean passthrough;
    private boolean passStarted;
    private long passStart;
    private boolean encStarted;
    private long encStart;
    private boolean askedThisSegment;
    private long lastAsk;

    public SegmentCadence(long targetMicros, boolean passthrough) {
        this.targetMicros = targetMicros;
        this.passthrough = passthrough;
    }

    /** @param keyframe the source frame is a keyframe of the publisher's */
    public Decision onVideoFrame(long pts, boolean keyframe) {
        boolean pass = false;
        if (passthrough && keyframe && (!passStarted || pts - passStart >= targetMicros - TOLERANCE_MICROS || askedThisSegment)) {
            pass = true;
            passStarted = true;
            passStart = pts;
            askedThisSegment = false;
        }
        boolean enc;
        if (!encStarted) {
            enc = !passthrough || pass;
        } else if (pass) {
            enc = true;
        } else {
            long late = passthrough ? targetMicros / 2 : 0;
            enc = pts - encStart >= targetMicros + late - HALF_FRAME_MICROS;
        }
        if (enc) {
            encStarted = true;
            encStart = pts;
        }
        boolean ask = false;
        if (passthrough && passStarted && pts - passStart >= targetMicros - ASK_AHEAD_MICROS
                && (!askedThisSegment || pts - lastAsk >= ASK_AGAIN_MICROS - HALF_FRAME_MICROS)) {
            ask = true;
            askedThisSegment = true;
            lastAsk = pts;
        }
        return new Decision(pass, enc, ask);
    }

    /** For a rendition without video: whether an audio packet at {@code pts} starts a segment. */
    public boolean onAudioOnly(long pts) {
        if (!encStarted || pts - encStart >= targetMicros - HALF_FRAME_MICROS) {
            encStarted = true;
            encStart = pts;
            return true;
        }
        return false;
    }

    /** A new source stream (reconnect): the next keyframe starts segments everywhere. */
    public void restart() {
        passStarted = false;
        encStarted = false;
        askedThisSegment = false;
    }
}
