package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * All a viewer and its track consumers may ask of the router they belong to: the time, keyframes from the publisher,
 * the clock mapping for their sender reports, the drop counters, a scratch view over the history, and leaving. A
 * concrete class (one per router) so the calls stay monomorphic; the router itself stays out of their reach.
 */
final class ViewerHost {
    final DropCounters drops;
    /** A view over packets in a track's history (catch-up, NACK answers); never nested with another use. */
    final RtpHeader historyHeader = new RtpHeader();
    private final MediaClock clock;
    private final KeyframeRequests keyframes;
    private final PublisherClock publisherClock;
    private final PublisherLink link;
    private final FanOut fanOut;
    private final byte[] cname;

    ViewerHost(MediaClock clock, KeyframeRequests keyframes, PublisherClock publisherClock, PublisherLink link,
               FanOut fanOut, DropCounters drops, byte[] cname) {
        this.clock = clock;
        this.keyframes = keyframes;
        this.publisherClock = publisherClock;
        this.link = link;
        this.fanOut = fanOut;
        this.drops = drops;
        this.cname = cname;
    }

    long now() { return clock.nanoTime(); }

    void requestKeyframe(PublisherTrack t, long now) { keyframes.request(t, now); }

    long ntpAt(long monotonicNanos) { return publisherClock.ntpAt(monotonicNanos); }

    /** The RTP timestamp {@code c}'s sender report carries for {@code now} (see {@link PublisherClock}). */
    long senderReportTimestamp(TrackConsumer c, long now) {
        return publisherClock.senderReportTimestamp(c.source, c.rewriter, link.attached(), now);
    }

    byte[] cname() { return cname; }

    void removeViewer(ViewerConsumer v) { fanOut.removeViewer(v); }
}
