package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtcp.RtcpWriter;

/**
 * Keyframe requests (PLI, or FIR when the publisher negotiated only that) to the publisher, throttled per video track.
 * The throttle's state lives on the track ({@code haveRequested}, {@code lastKeyframeRequestNanos},
 * {@code keyframeRequestPending}) because a keyframe arriving clears the pending request.
 */
final class KeyframeRequests {
    private final PublisherLink link;
    private final RouterListener listener;
    private final String channelId;
    private final long intervalNanos;

    KeyframeRequests(PublisherLink link, RouterListener listener, String channelId, long intervalNanos) {
        this.link = link;
        this.listener = listener;
        this.channelId = channelId;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Asks the publisher for a keyframe on {@code t}, at most once per configured interval; a request that cannot go
     * now (throttled, no publisher, SSRC unknown) stays pending and the tick sends it when allowed, unless a keyframe
     * arrives first.
     */
    void request(PublisherTrack t, long now) {
        if (t.kind != MediaKind.VIDEO) return;
        if (!link.attached() || !t.ssrcKnown || (t.haveRequested && now - t.lastKeyframeRequestNanos < intervalNanos)) {
            t.keyframeRequestPending = true;
            return;
        }
        int n = t.useFir
                ? RtcpWriter.writeFir(link.buffer, 0, link.localSsrc, t.ssrc, t.firSequence++ & 0xFF)
                : RtcpWriter.writePli(link.buffer, 0, link.localSsrc, t.ssrc);
        t.haveRequested = true;
        t.lastKeyframeRequestNanos = now;
        t.keyframeRequestPending = false;
        t.keyframeRequestsSent++;
        link.send(n);
        try {
            listener.onKeyframeRequest(channelId, t.mid);
        } catch (RuntimeException e) {
            // Listener trouble must not break the media path.
        }
    }
}
