package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.DuplicateFilter;
import live.cascade.sfu.receive.HeaderCheck;
import live.cascade.sfu.receive.HistoryWriter;
import live.cascade.sfu.receive.KeyframeProbe;
import live.cascade.sfu.receive.LossTracker;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RtxRepair;
import live.cascade.sfu.receive.StageCounters;
import live.cascade.sfu.receive.TrackDemux;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.transport.MediaTransport;

/**
 * The receive pipeline: a publisher's decrypted RTP packet through the stages of {@link live.cascade.sfu.receive}, in
 * the order {@link #onRtp} reads, to the {@link FanOut}. Each stage is a final field of its own concrete type (the
 * calls stay monomorphic); each counts what it drops into the router's {@link StageCounters}. Allocates nothing per
 * packet.
 */
final class ReceivePath {
    private final RtpHeader header = new RtpHeader();
    private final HeaderCheck parse;
    private final TrackDemux demux;
    private final RtxRepair rtxRepair;
    private final DuplicateFilter duplicates;
    private final LossTracker loss;
    private final HistoryWriter history;
    private final KeyframeProbe keyframeProbe;
    private final FanOut fanOut;
    private final PublisherFeedback feedback;
    private final KeyframeRequests keyframes;
    private final MediaClock clock;
    private final Runnable firstMedia;
    private boolean firstMediaSeen;

    ReceivePath(PublisherTrack[] tracks, int maxPacketSize, StageCounters counters, DropCounters drops, FanOut fanOut,
                PublisherFeedback feedback, KeyframeRequests keyframes, MediaClock clock, Runnable firstMedia) {
        this.parse = new HeaderCheck(counters, drops, maxPacketSize);
        this.demux = new TrackDemux(counters, drops, tracks);
        this.rtxRepair = new RtxRepair(counters, drops, maxPacketSize + MediaTransport.SRTP_TAIL_ROOM);
        this.duplicates = new DuplicateFilter(counters, drops);
        this.loss = new LossTracker();
        this.history = new HistoryWriter();
        this.keyframeProbe = new KeyframeProbe();
        this.fanOut = fanOut;
        this.feedback = feedback;
        this.keyframes = keyframes;
        this.clock = clock;
        this.firstMedia = firstMedia;
    }

    /** A new publisher: the channel goes live again with its first routed packet. */
    void reset() { firstMediaSeen = false; }

    /** {@code waitedNanos}: how long before now the packet reached this host (0 when unknown). */
    void onRtp(byte[] buf, int off, int len, long waitedNanos) {
        RtpHeader h = header;
        if (!parse.accept(h, buf, off, len)) return;
        long now = clock.nanoTime();
        feedback.onArrival(h, len, now, waitedNanos); // congestion feedback covers every packet of the transport
        PublisherTrack t = demux.route(h, len);
        if (t != null) {
            boolean repaired = demux.isRtx();
            if (repaired) h = rtxRepair.repair(t, h);
            if (h != null) media(t, h, repaired, now);
        }
        feedback.sendDue(now);
    }

    /** One media packet of {@code t}, original or {@code repaired} (restored from RTX). */
    private void media(PublisherTrack t, RtpHeader h, boolean repaired, long now) {
        long ext = duplicates.accept(t, h, repaired);
        if (ext == DuplicateFilter.REJECTED) return;
        if (loss.onPacket(t, ext, now)) keyframes.request(t, now);
        history.store(t, h, ext, repaired, now);
        boolean keyframe = keyframeProbe.probe(t, h, ext, now);
        if (!firstMediaSeen) {
            firstMediaSeen = true;
            firstMedia.run();
        }
        fanOut.deliver(t, h, ext, keyframe, now);
    }
}
