package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.simulcast.LayerGroup;

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
        sent(t, now);
        link.send(n);
        notifyListener(t);
    }

    /**
     * Asks for a keyframe on every layer of a simulcast group at the same moment, in one compound RTCP packet, so the
     * publisher reads all requests before it encodes its next frame (the HLS tap's copied layers cut their segments
     * where every layer has a keyframe). Each layer's throttle applies as in {@link #request}: a layer that may not be
     * asked now stays pending for the tick.
     */
    void requestTogether(LayerGroup g, long now) {
        if (!link.attached()) {
            for (int i = 0; i < g.size(); i++) g.layer(i).keyframeRequestPending = true;
            return;
        }
        int n = 0;
        for (int i = 0; i < g.size(); i++) {
            PublisherTrack t = g.layer(i);
            if (t.kind != MediaKind.VIDEO) continue;
            if (!t.ssrcKnown || (t.haveRequested && now - t.lastKeyframeRequestNanos < intervalNanos)) {
                t.keyframeRequestPending = true;
                continue;
            }
            n += t.useFir
                    ? RtcpWriter.writeFir(link.buffer, n, link.localSsrc, t.ssrc, t.firSequence++ & 0xFF)
                    : RtcpWriter.writePli(link.buffer, n, link.localSsrc, t.ssrc);
            sent(t, now);
        }
        if (n == 0) return;
        link.send(n);
        for (int i = 0; i < g.size(); i++) if (g.layer(i).lastKeyframeRequestNanos == now) notifyListener(g.layer(i));
    }

    private static void sent(PublisherTrack t, long now) {
        t.haveRequested = true;
        t.lastKeyframeRequestNanos = now;
        t.keyframeRequestPending = false;
        t.keyframeRequestsSent++;
    }

    private void notifyListener(PublisherTrack t) {
        try {
            listener.onKeyframeRequest(channelId, t.mid);
        } catch (RuntimeException e) {
            // Listener trouble must not break the media path.
        }
    }
}
