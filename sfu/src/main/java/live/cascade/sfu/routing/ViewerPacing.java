package live.cascade.sfu.routing;

import live.cascade.sfu.bwe.BweTotals;
import live.cascade.sfu.bwe.Pacer;
import live.cascade.sfu.bwe.ViewerBandwidthEstimator;
import live.cascade.sfu.forward.TransportWideSequence;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One viewer's bandwidth estimation, pacing and probing (when {@link RouterConfig#viewerBwe()} is on): every RTP
 * packet for the viewer goes through the {@link Pacer}; what it releases goes to the transport's send and, with its
 * transport-wide number, into the estimator's send-time record. The router's pace timer drains the pacers and starts
 * probe clusters (padding-only RTX packets on the video track's RTX SSRC, each with its own transport-wide number);
 * the tick tells the estimator what the viewer's stream would use, so probes stop once the estimate covers it.
 */
final class ViewerPacing implements Pacer.Output {
    static final long INITIAL_BITRATE = 1_500_000;
    static final long MIN_BITRATE = 100_000;
    static final long MAX_BITRATE = 50_000_000;
    /** Packets the pacer holds: a 2.5 Mbit/s keyframe (~80 packets) with room to spare. */
    static final int PACER_SLOTS = 128;
    /** Padding bytes per probe packet (the RTP maximum is 255). */
    static final int PADDING_BYTES = 224;
    /** Probes aim at most this much above the rate the viewer's stream used over the last tick. */
    private static final double WANTED_HEADROOM = 1.5;

    final ViewerBandwidthEstimator estimator =
            new ViewerBandwidthEstimator(INITIAL_BITRATE, MIN_BITRATE, MAX_BITRATE);
    final Pacer pacer;
    private final ViewerConsumer viewer;
    private final TransportWideSequence sequence;
    private final byte[] padding = new byte[64 + PADDING_BYTES + MediaTransport.SRTP_TAIL_ROOM];
    private final BweTotals totals;
    private int bucket = -1;
    private long reportedProbes, reportedPadding, reportedDrops;
    private int lastPeek;
    private long windowBytes;
    /** The stream's rate toward this viewer (before the pacer), smoothed over the ticks. */
    private long streamBps;
    private long windowStartNanos = Long.MIN_VALUE;
    /** What the simulcast layer choice wants probed (the next layer up with headroom), -1 when nothing. */
    private long layerWantedBps = -1;
    long paddingPackets;

    ViewerPacing(ViewerConsumer viewer, TransportWideSequence sequence, int maxPacketSize, int rtxOverhead,
                 BweTotals totals) {
        this.viewer = viewer;
        this.totals = totals;
        this.sequence = sequence;
        this.lastPeek = sequence.peek();
        this.pacer = new Pacer(PACER_SLOTS, maxPacketSize + rtxOverhead + MediaTransport.SRTP_TAIL_ROOM);
    }

    /** A rewritten packet for the viewer: queued, then whatever the bucket allows leaves; audio goes ahead of the queue. */
    void send(byte[] buf, int len, boolean keyframe, boolean audio, long nowNanos) {
        // The rewrite took the transport's next number when the packet carries the extension.
        int peek = sequence.peek();
        int seq = peek == lastPeek ? -1 : (peek - 1) & SequenceNumbers.MASK;
        lastPeek = peek;
        windowBytes += len;
        long rate = pacingBase();
        if (audio) {
            pacer.sendAhead(buf, len, seq, nowNanos, rate, this);
            return;
        }
        if (pacer.sendIfIdle(buf, len, seq, nowNanos, rate, this)) return;
        pacer.enqueue(buf, len, seq, keyframe);
        pacer.release(nowNanos, rate, this);
    }

    @Override
    public void sendPaced(byte[] buf, int off, int len, int transportSeq, long nowNanos) {
        viewer.sendToTransport(buf, off, len);
        if (transportSeq >= 0) estimator.onPacketSent(transportSeq, len, nowNanos);
    }

    /** When a packet queued now would leave: after what the pacer holds has gone at its pacing rate. */
    long queueDelayNanos() { return pacer.drainNanos(pacingBase()); }

    /** The pace timer: drain the pacer, start and feed probe clusters. */
    void onPace(long nowNanos) {
        if (!pacer.isEmpty()) pacer.release(nowNanos, pacingBase(), this);
        estimator.maybeStartProbe(nowNanos);
        if (!estimator.padding()) return;
        TrackConsumer video = probeTrack();
        int packets = 0;
        while (video != null && estimator.probePaddingDue(nowNanos) > 0 && packets++ < 64) {
            int seq = sequence.next();
            lastPeek = sequence.peek();
            int len = video.writePadding(padding, PADDING_BYTES, seq);
            if (len <= 0) return;
            paddingPackets++;
            sendPaced(padding, 0, len, seq, nowNanos);
        }
    }

    private TrackConsumer probeTrack() {
        for (TrackConsumer c : viewer.tracks) if (c.source.kind == MediaKind.VIDEO && c.canPad()) return c;
        return null;
    }

    /**
     * What the pacer paces at 2.5 × of: the estimate, but never less than the stream's own recent rate. Only a layer
     * switch can make a viewer's stream smaller; until one does, a pacer slower than the stream would just drop its
     * packets (and a wrong-low estimate would then feed on the losses it caused). So the pacer spreads bursts and
     * leaves policing to the layer selector.
     */
    private long pacingBase() {
        long estimate = estimator.bitsPerSecond();
        return estimate < 0 ? -1 : Math.max(estimate, streamBps);
    }

    /** The tick: what the stream used since the last one sets how high probes may aim and the pacer's floor. */
    void onTick(long nowNanos) {
        if (windowStartNanos != Long.MIN_VALUE && nowNanos > windowStartNanos) {
            long bps = windowBytes * 8 * 1_000_000_000L / (nowNanos - windowStartNanos);
            // Smoothed over ~0.4 s: a keyframe's tick alone would swing it.
            streamBps = streamBps == 0 ? bps : (3 * streamBps + bps) / 4;
            estimator.setWantedBitrate(Math.max((long) (streamBps * WANTED_HEADROOM), layerWantedBps));
        }
        windowStartNanos = nowNanos;
        windowBytes = 0;
        pacer.trim(nowNanos);
        report(BweTotals.bucketOf(estimator.bitsPerSecond()));
    }

    /**
     * The simulcast layer choice's wish, each tick before {@link #onTick}: the rate the next layer up needs (with its
     * headroom), so probes aim there rather than only above the lower layer the viewer is on; -1 when none.
     */
    void wantLayerBitrate(long bps) { this.layerWantedBps = bps; }

    /**
     * The simulcast layer choice holds a move up: the rate the higher layer needs (with its headroom) is held on the
     * path with padding until the move is made or called off (-1), so the estimate that grants it has been tested at
     * that rate for the whole hold, not just by a short probe.
     */
    void sustainLayerBitrate(long bps, long nowNanos) {
        if (bps != estimator.sustainedRate()) estimator.sustainRate(bps, nowNanos);
    }

    /** The viewer left: its bucket empties and its last counts are added. */
    void close() { report(-1); }

    private void report(int newBucket) {
        totals.move(bucket, newBucket);
        bucket = newBucket;
        long probes = estimator.probesSent(), drops = pacer.dropped();
        totals.add(probes - reportedProbes, paddingPackets - reportedPadding, drops - reportedDrops);
        reportedProbes = probes;
        reportedPadding = paddingPackets;
        reportedDrops = drops;
    }
}
