package live.cascade.sfu.routing;

import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.bwe.BweTotals;
import live.cascade.sfu.bwe.ViewerBandwidthEstimator;
import live.cascade.sfu.forward.TransportWideSequence;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.RtcpFeedback;
import live.cascade.sfu.rtcp.RtcpFir;
import live.cascade.sfu.rtcp.RtcpNack;
import live.cascade.sfu.rtcp.RtcpReceiverReport;
import live.cascade.sfu.rtcp.RtcpRemb;
import live.cascade.sfu.rtcp.RtcpReportBlocks;
import live.cascade.sfu.rtcp.RtcpSenderReport;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWalker;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.RtxPacketizer;
import live.cascade.sfu.simulcast.BandwidthEstimate;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One viewer: its transport, its track consumers, its transport-wide sequence counter, and the handling of the RTCP
 * it sends us. Also the viewer's {@link ViewerHandle} and RTCP {@link MediaReceiver}.
 */
final class ViewerConsumer implements ViewerHandle, MediaReceiver {
    private static final TrackConsumer[] NO_TRACKS = new TrackConsumer[0];

    final ViewerHost host;
    private final MediaTransport transport;
    final TransportWideSequence transportSequence;
    TrackConsumer[] tracks = NO_TRACKS;
    private boolean closed;
    /** A pipe to a relay router on another worker, not a viewer: left out of the viewer count and stats. */
    boolean pipe;
    long nextSenderReportNanos;
    boolean senderReportScheduled;

    private final RtcpWalker walker = new RtcpWalker();
    private final RtcpReceiverReport rr = new RtcpReceiverReport();
    private final RtcpSenderReport sr = new RtcpSenderReport();
    private final RtcpFeedback feedback = new RtcpFeedback();
    private final RtcpFir fir = new RtcpFir();
    private final RtcpNack nack = new RtcpNack();
    private final RtcpRemb remb = new RtcpRemb();
    private final RtcpTransportCc transportCc = new RtcpTransportCc();
    private final byte[] rtcpBuffer = new byte[1500 + MediaTransport.SRTP_TAIL_ROOM];

    private long rembBitrate = -1;
    /**
     * What the layer choice reads: {@link #layerEstimate()}, i.e. the send-side estimate when estimation is on and the
     * viewer sends transport-cc, its REMB otherwise; {@link #useBandwidthEstimate} replaces it.
     */
    BandwidthEstimate estimate = this::layerEstimate;
    private long transportCcFeedbacks;
    private long transportCcPacketsLost;

    /** Estimation, pacing and probing toward this viewer; null when {@link RouterConfig#viewerBwe()} is off. */
    final ViewerPacing pacing;

    ViewerConsumer(ViewerHost host, MediaTransport transport, int transportSequenceStart, boolean bwe, int maxPacketSize,
                   BweTotals bweTotals) {
        this.host = host;
        this.transport = transport;
        this.transportSequence = new TransportWideSequence(transportSequenceStart);
        this.pacing = bwe ? new ViewerPacing(this, transportSequence, maxPacketSize, RtxPacketizer.OSN_LENGTH, bweTotals)
                : null;
    }

    /** A rewritten packet for this viewer: through the pacer when estimation is on (audio ahead of it), else straight out. */
    void sendRtp(byte[] buf, int len, boolean keyframe, boolean audio, long nowNanos) {
        if (pacing != null) pacing.send(buf, len, keyframe, audio, nowNanos);
        else sendToTransport(buf, 0, len);
    }

    void sendToTransport(byte[] buf, int off, int len) {
        try {
            transport.sendRtp(buf, off, len);
        } catch (RuntimeException e) {
            host.drops.add(RouterDrop.SEND_FAILED);
        }
    }

    private void sendRtcp(int len) {
        try {
            transport.sendRtcp(rtcpBuffer, 0, len);
        } catch (RuntimeException e) {
            host.drops.add(RouterDrop.SEND_FAILED);
        }
    }

    /** One SR (+ SDES CNAME) per track that has sent media, each as its own compound packet. */
    void sendSenderReports(long nowNanos) {
        long ntp = host.ntpAt(nowNanos);
        for (TrackConsumer c : tracks) {
            // While catching up, timestamps run compressed: an SR would teach the viewer a wrong A/V relation.
            if (c.packetsSent == 0 || c.catchingUp) continue;
            long timestamp = host.senderReportTimestamp(c, nowNanos);
            if (timestamp == PublisherClock.NO_REPORT) continue;
            long ssrc = c.rewriter.outSsrc();
            int n = RtcpWriter.writeSenderReport(rtcpBuffer, 0, ssrc, ntp, timestamp,
                    c.packetsSent & 0xFFFF_FFFFL, c.payloadOctetsSent & 0xFFFF_FFFFL, 0);
            n += RtcpWriter.writeSdesCname(rtcpBuffer, n, ssrc, host.cname());
            sendRtcp(n);
        }
    }

    /** The tick's layer choice for each simulcast track. */
    void selectLayers(long nowNanos) {
        if (closed) return;
        long bps = -1;
        long probeTarget = -1;
        long sustain = -1;
        boolean read = false;
        for (TrackConsumer c : tracks) {
            if (c.group == null) continue;
            if (!read) {
                bps = estimate.bitsPerSecond();
                read = true;
            }
            c.selectLayer(bps, nowNanos);
            probeTarget = Math.max(probeTarget, c.probeTarget(nowNanos));
            sustain = Math.max(sustain, c.upHoldRate(nowNanos));
        }
        // The estimator probes toward the next layer up, not just above what the current (lower) layer uses, and
        // a move up is tried at its full rate before it is made.
        if (pacing != null) {
            pacing.wantLayerBitrate(probeTarget);
            pacing.sustainLayerBitrate(sustain, nowNanos);
        }
    }

    @Override
    public void pinLayer(String rid) {
        for (TrackConsumer c : tracks) {
            if (c.group == null) continue;
            c.selector.pin(rid);
            c.selectLayer(estimate.bitsPerSecond(), host.now());
        }
    }

    @Override
    public void maxHeight(int height) {
        for (TrackConsumer c : tracks) if (c.group != null) c.selector.maxHeight(height);
    }

    @Override
    public void useBandwidthEstimate(BandwidthEstimate e) {
        this.estimate = java.util.Objects.requireNonNull(e, "estimate");
    }

    @Override
    public boolean hasLayer(String rid) {
        for (TrackConsumer c : tracks) if (c.group != null && c.group.byRid(rid) != null) return true;
        return false;
    }

    @Override public MediaReceiver rtcpInput() { return this; }

    @Override public void onRtp(byte[] buf, int off, int len) { host.drops.add(RouterDrop.VIEWER_RTP); }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        if (closed) return;
        if (walker.validate(buf, off, len) != RtcpStatus.OK) {
            host.drops.add(RouterDrop.MALFORMED_RTCP);
            return;
        }
        long now = host.now();
        walker.reset(buf, off, len);
        while (walker.next()) {
            int po = walker.packetOffset();
            int pl = walker.contentLength();
            switch (walker.packetType()) {
                case RtcpTypes.RR -> {
                    if (rr.parse(buf, po, pl) == RtcpStatus.OK) onReportBlocks(rr, now);
                    else host.drops.add(RouterDrop.MALFORMED_RTCP);
                }
                case RtcpTypes.SR -> {
                    if (sr.parse(buf, po, pl) == RtcpStatus.OK) onReportBlocks(sr, now);
                    else host.drops.add(RouterDrop.MALFORMED_RTCP);
                }
                case RtcpTypes.RTPFB, RtcpTypes.PSFB -> onFeedback(buf, po, pl, now);
                default -> { /* SDES, BYE, APP, XR: nothing to act on */ }
            }
        }
    }

    private void onReportBlocks(RtcpReportBlocks report, long now) {
        long ntpMiddle = NtpTime.middle32(host.ntpAt(now));
        for (int i = 0; i < report.reportCount(); i++) {
            TrackConsumer c = bySsrc(report.blockSsrc(i));
            if (c == null) continue;
            c.fractionLost = report.blockFractionLost(i);
            c.cumulativeLost = report.blockCumulativeLost(i);
            c.jitter = report.blockJitter(i);
            long lsr = report.blockLastSr(i);
            if (lsr != 0) {
                // RFC 3550 §6.4.1: RTT = arrival - LSR - DLSR, all in 16.16 seconds.
                long rtt = (ntpMiddle - lsr - report.blockDelaySinceLastSr(i)) & 0xFFFF_FFFFL;
                if (rtt < 0x8000_0000L) {
                    c.roundTripNanos = NtpTime.compactToNanos(rtt);
                    if (pacing != null) pacing.estimator.setRoundTrip(c.roundTripNanos);
                }
            }
        }
    }

    private void onFeedback(byte[] buf, int off, int len, long now) {
        if (feedback.parse(buf, off, len) != RtcpStatus.OK) {
            host.drops.add(RouterDrop.MALFORMED_RTCP);
            return;
        }
        switch (feedback.kind()) {
            case PLI -> {
                TrackConsumer c = bySsrc(feedback.mediaSsrc());
                if (c != null && c.source.kind == MediaKind.VIDEO) {
                    c.plisReceived++;
                    host.requestKeyframe(c.source, now);
                }
            }
            case FIR -> {
                if (fir.parse(buf, off, len) != RtcpStatus.OK) {
                    host.drops.add(RouterDrop.MALFORMED_RTCP);
                    return;
                }
                for (int i = 0; i < fir.entryCount(); i++) {
                    TrackConsumer c = bySsrc(fir.entrySsrc(i));
                    if (c != null && c.source.kind == MediaKind.VIDEO) {
                        c.firsReceived++;
                        host.requestKeyframe(c.source, now);
                    }
                }
            }
            case NACK -> {
                if (nack.parse(buf, off, len) != RtcpStatus.OK) {
                    host.drops.add(RouterDrop.MALFORMED_RTCP);
                    return;
                }
                TrackConsumer c = bySsrc(nack.mediaSsrc());
                if (c == null) return;
                c.nackedPackets += nack.lostCount();
                for (int i = 0; i < nack.itemCount(); i++) {
                    int pid = nack.pid(i);
                    int blp = nack.blp(i);
                    c.retransmit(pid, now, host.drops);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((blp & 1 << bit) != 0) c.retransmit((pid + bit + 1) & 0xFFFF, now, host.drops);
                    }
                }
            }
            case REMB -> {
                if (remb.parse(buf, off, len) == RtcpStatus.OK) {
                    rembBitrate = remb.bitrate();
                    if (pacing != null) pacing.estimator.onRemb(rembBitrate);
                } else {
                    host.drops.add(RouterDrop.MALFORMED_RTCP);
                }
            }
            case TRANSPORT_CC -> {
                // Our estimator toward this viewer reads these (it decodes them in full); without it we only check
                // them and count what they report lost.
                if (transportCc.parse(buf, off, len) != RtcpStatus.OK
                        || (pacing != null ? pacing.estimator.onTransportCc(transportCc, now)
                                : transportCc.decode(null, null)) != RtcpStatus.OK) {
                    host.drops.add(RouterDrop.MALFORMED_RTCP);
                    return;
                }
                transportCcFeedbacks++;
                transportCcPacketsLost += transportCc.lostCount();
            }
            case OTHER -> { /* application-layer feedback we do not use */ }
        }
    }

    private TrackConsumer bySsrc(long ssrc) {
        for (TrackConsumer c : tracks) if (c.rewriter.outSsrc() == ssrc) return c;
        return null;
    }

    void markClosed() {
        if (closed) return;
        closed = true;
        if (pacing != null) pacing.close();
    }

    @Override
    public void close() {
        if (closed) return;
        markClosed();
        host.removeViewer(this);
    }

    @Override public boolean isClosed() { return closed; }

    /** Transport-cc feedbacks (Chromium: one per 50–100 ms) before an estimate no probe has measured yet counts. */
    static final int UNPROBED_FEEDBACKS = 30;
    /**
     * What the layer choice assumes a viewer's path carries before it is measured: a new viewer starts on the best
     * layer that fits this and moves up once probing and the up-hold show room. Starting on the top layer instead
     * floods a slow path with the top layer's cached group of pictures and live stream (2 Mbit/s into 600 kbit/s:
     * seconds of loss and a frozen picture before the move down takes effect).
     */
    static final long START_BITRATE = 1_000_000;

    /** Whether this viewer negotiated transport-wide sequence numbers, so a send-side estimate will come. */
    boolean transportCcNegotiated;

    /**
     * {@link #bitsPerSecond()} for the layer choice, except {@link #START_BITRATE} while a send-side estimate is due but
     * still the estimator's starting guess: no probe result yet, fewer than {@link #UNPROBED_FEEDBACKS} feedbacks and no
     * congestion seen. A constrained viewer goes down as soon as its path shows congestion (queueing or loss).
     * Without estimation, or without transport-cc, the REMB (unknown until the first: the top layer).
     */
    long layerEstimate() {
        if (pacing != null && transportCcNegotiated) {
            ViewerBandwidthEstimator e = pacing.estimator;
            boolean guess = e.usesTransportCc()
                    ? e.probeResults() == 0 && e.feedbacks() < UNPROBED_FEEDBACKS && !e.congestionSeen()
                    : rembBitrate < 0; // nothing heard yet (a viewer may negotiate transport-cc and send REMB only)
            if (guess) return START_BITRATE;
        }
        return bitsPerSecond();
    }

    @Override
    public long bitsPerSecond() {
        if (pacing != null) return pacing.estimator.bitsPerSecond();
        return rembBitrate;
    }

    @Override
    public ViewerStats stats() {
        List<ViewerTrackStats> list = new ArrayList<>(tracks.length);
        for (TrackConsumer c : tracks) list.add(c.stats());
        ViewerBweStats bwe = pacing == null ? null : new ViewerBweStats(pacing.estimator.bitsPerSecond(),
                pacing.estimator.delayBasedBitsPerSecond(), pacing.estimator.ackedBitsPerSecond(),
                pacing.estimator.lastLossFraction(), pacing.estimator.usesTransportCc(), pacing.estimator.probesSent(),
                pacing.paddingPackets, pacing.pacer.dropped(), pacing.pacer.queuedPackets());
        return new ViewerStats(list, rembBitrate, transportCcFeedbacks, transportCcPacketsLost, closed, bwe);
    }
}
