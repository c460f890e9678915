package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.simulcast.LayerGroup;

/**
 * Where a new viewer's video starts: at the cached group of pictures (at once, caught up at
 * {@link RouterConfig#catchUpSpeed()}) or at a fresh keyframe asked of the publisher.
 *
 * <p>The cache is only as fresh as the publisher's last keyframe. A browser sends keyframes only when asked, and a
 * low-rate stream (a still picture, a slide) fits a whole minute in the history, so serving the cache unconditionally
 * started such a viewer a minute in the past and took 15–20 s at 4× to reach live. So the cache is served at once
 * only while its keyframe is at most {@link #MAX_CACHE_AGE_NANOS} old, or when asking is pointless: the publisher's
 * transport cannot carry the request (RTMP/SRT ingest) or the track ignored the last one. Otherwise the viewer asks
 * and waits; if no keyframe comes within {@link #KEYFRAME_WAIT_NANOS} it starts from the cache after all and the track
 * is marked as ignoring requests until a keyframe answers one again.
 */
final class JoinStart {
    /** Catching up from a keyframe this old at 4× takes under 0.7 s. */
    static final long MAX_CACHE_AGE_NANOS = 2_000_000_000L;
    /** How long a viewer waits for an asked-for keyframe before it starts from the cache anyway. */
    static final long KEYFRAME_WAIT_NANOS = 1_000_000_000L;

    private final RouterConfig config;
    private final PublisherLink link;
    private final KeyframeRequests keyframes;
    private final FanOut fanOut;
    private final DropCounters drops;

    JoinStart(RouterConfig config, PublisherLink link, KeyframeRequests keyframes, FanOut fanOut, DropCounters drops) {
        this.config = config;
        this.link = link;
        this.keyframes = keyframes;
        this.fanOut = fanOut;
        this.drops = drops;
    }

    /** Starts {@code c}, a video consumer of {@code t} waiting for its first keyframe. */
    void start(TrackConsumer c, PublisherTrack t, long now) {
        boolean servable = servable(t, now);
        boolean young = t.gop.lastKeyframeNanos() >= 0 && now - t.gop.lastKeyframeNanos() <= MAX_CACHE_AGE_NANOS;
        if (servable && (young || !link.answersKeyframeRequests() || t.ignoresKeyframeRequests)) {
            serve(c, t, now);
            return;
        }
        keyframes.request(t, now);
        if (servable) c.keyframeWaitEndsNanos = (now + KEYFRAME_WAIT_NANOS) | 1; // never 0, which means "no wait"
    }

    /** The tick: a consumer whose wait for the asked-for keyframe ran out starts from the cache after all. */
    void onTick(TrackConsumer c, PublisherTrack t, long now) {
        if (c.keyframeWaitEndsNanos == 0 || now - c.keyframeWaitEndsNanos < 0) return;
        c.keyframeWaitEndsNanos = 0;
        if (!c.waitingForKeyframe || c.source != t) return;
        t.ignoresKeyframeRequests = true;
        if (servable(t, now)) serve(c, t, now);
    }

    private boolean servable(PublisherTrack t, long now) {
        // A paused layer's cache is from before its pause: that viewer waits for the keyframe its resumption brings.
        boolean current = fanOut.groupOf(t) == null || LayerGroup.active(t, now);
        return config.catchUpSpeed() > 0 && link.attached() && t.ssrcKnown && current && t.gop.canServe(t.history);
    }

    private void serve(TrackConsumer c, PublisherTrack t, long now) {
        c.keyframeWaitEndsNanos = 0;
        c.startCatchUp(t.gop.startExt(), t.gop.keyframeTimestamp(), config.catchUpSpeed(), now);
        c.pumpCatchUp(now, drops);
    }
}
