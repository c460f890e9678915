package live.cascade.sfu.receive;

import live.cascade.sfu.codec.Keyframes;
import live.cascade.sfu.codec.ResolutionDetector;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * Stage {@link Stage#KEYFRAME_PROBE}: whether a packet starts a keyframe (every audio packet counts as one: a viewer
 * may start on any); for video keyframes, the GOP cache learns where the group starts (NACKs for what came before stop),
 * a pending keyframe request is satisfied, and the picture size is read. Drops nothing, so it has no counter of its
 * own: its in and out are what the stage before passed on ({@link StageCounters}).
 */
public final class KeyframeProbe {
    /** A keyframe this soon after a request counts as its answer (a browser answers in tens of milliseconds). */
    static final long ANSWER_WINDOW_NANOS = 1_000_000_000L;
    private final ResolutionDetector resolution = new ResolutionDetector();

    /** True when {@code h} (extended sequence number {@code ext}, already in the history) starts a keyframe. */
    public boolean probe(PublisherTrack t, RtpHeader h, long ext, long now) {
        if (t.kind == MediaKind.AUDIO) return true;
        byte[] buf = h.buffer();
        if (!Keyframes.isKeyframeStart(t.payloadFormat, buf, h.payloadOffset(), h.payloadLength())) return false;
        if (t.kind == MediaKind.VIDEO) {
            // A keyframe soon after a request answers it: joins may wait for the next one again.
            if (t.haveRequested && now - t.lastKeyframeRequestNanos < ANSWER_WINDOW_NANOS) t.ignoresKeyframeRequests = false;
            t.keyframeRequestPending = false;
            if (t.gop.onPacket(ext, h.timestamp(), true, now)) t.nack.clearBefore(ext);
            int size = resolution.detect(t.payloadFormat, buf, h.payloadOffset(), h.payloadLength());
            if (size != 0) {
                t.width = ResolutionDetector.width(size);
                t.height = ResolutionDetector.height(size);
            }
        }
        return true;
    }
}
