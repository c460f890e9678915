package live.cascade.sfu.routing;

import live.cascade.sfu.feedback.ArrivalDelay;
import live.cascade.sfu.feedback.RembEstimator;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * What goes back to the publisher about its media, with the state it needs: transport-cc feedback every
 * {@link RouterConfig#transportCcInterval()} when the publisher negotiated transport-cc, otherwise a
 * {@link RembEstimator REMB estimate} when it negotiated goog-remb; batched NACKs for its losses; receiver reports;
 * and the feedback-health windows the ingest view shows. Feedback that is due goes out from the packet path as packets
 * arrive ({@link #sendDue}) and from the tick, so its timing does not depend on the tick rate.
 */
final class PublisherFeedback {
    /** How often the NACK lists are looked at; each look sends at most one NACK per track. */
    private static final long NACK_RUN_NANOS = 10_000_000L;
    /** Retry spacing for NACKs until a round trip has been measured (libwebrtc's default assumption too). */
    private static final long DEFAULT_RTT_NANOS = 100_000_000L;
    private static final long MIN_NACK_RETRY_NANOS = 10_000_000L;
    private static final long REMB_INTERVAL_NANOS = 250_000_000L;
    /** Feedback packets per flush: a backlog beyond this waits for the next one. */
    private static final int MAX_TRANSPORT_CC_PER_FLUSH = 4;

    private final PublisherTrack[] tracks;
    private final PublisherLink link;
    private final byte[] cname;
    private final long transportCcIntervalNanos;
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final ArrivalDelay arrivalDelay = new ArrivalDelay();
    private final RembEstimator remb;
    private final int[] nackScratch = new int[256];
    private final long[] rembSsrcs;

    private boolean useTransportCc;
    private boolean useRemb;
    private int transportCcExtensionId;
    private int absSendTimeExtensionId;
    private long lastTransportCcNanos;
    private long lastNackRunNanos;
    private long nextRembNanos;
    private long lastRembBitrate = -1;
    private long transportCcFeedbacksSent;
    /**
     * Feedback health windows (~1 s, closed on the tick): the longest gap between transport-cc flushes. The window
     * opens on the first tick after a publisher is bound, the same tick that opens the tracks' ingest windows
     * ({@code PublisherTrack#advanceWindow}), so the acknowledged rate and the tracks' bitrates cover the same span
     * (-1: not open yet).
     */
    private long feedbackWindowStartNanos = -1;
    private long maxFeedbackGapNanos;
    private long lastWindowMaxFeedbackGapNanos;
    private long maxWaitNanos;
    private long lastWindowMaxWaitNanos;
    /** Bytes seen when the current window opened, and what the last closed window carried, bit/s (-1: none yet). */
    private long windowStartBytes;
    private long acknowledgedBitrate = -1;

    PublisherFeedback(PublisherTrack[] tracks, PublisherLink link, byte[] cname, long transportCcIntervalNanos,
                      long rembMaxBitrate) {
        this.tracks = tracks;
        this.link = link;
        this.cname = cname;
        this.transportCcIntervalNanos = transportCcIntervalNanos;
        this.remb = new RembEstimator(rembMaxBitrate);
        this.rembSsrcs = new long[tracks.length];
    }

    /** A publisher was bound: transport-cc when any track negotiated it (one transport, one sequence), else REMB. */
    void configure(long now) {
        transportCcExtensionId = 0;
        absSendTimeExtensionId = 0;
        useTransportCc = false;
        boolean rembNegotiated = false;
        for (PublisherTrack t : tracks) {
            if (transportCcExtensionId == 0) transportCcExtensionId = t.transportCcExtensionId;
            if (absSendTimeExtensionId == 0) absSendTimeExtensionId = t.absSendTimeExtensionId;
            useTransportCc |= t.transportCcFeedback;
            rembNegotiated |= t.rembFeedback;
        }
        useRemb = !useTransportCc && rembNegotiated;
        transportCc.reset();
        arrivalDelay.reset();
        remb.reset();
        lastTransportCcNanos = now;
        feedbackWindowStartNanos = -1;
        maxFeedbackGapNanos = lastWindowMaxFeedbackGapNanos = 0;
        maxWaitNanos = lastWindowMaxWaitNanos = 0;
        windowStartBytes = 0;
        acknowledgedBitrate = -1;
        nextRembNanos = now;
        lastRembBitrate = -1;
        transportCcFeedbacksSent = 0;
    }

    /**
     * Every packet of the transport (media, RTX, probe padding), before any filtering. {@code waitedNanos}: how long
     * before {@code now} it reached this host; the feedback reports that arrival, not when this thread got to it (the
     * wait for the worker is not queueing on the publisher's path, issue 16).
     */
    void onArrival(RtpHeader h, int len, long now, long waitedNanos) {
        long arrival = waitedNanos > 0 ? now - waitedNanos : now;
        if (waitedNanos > maxWaitNanos) maxWaitNanos = waitedNanos;
        remb.onPacket(len);
        byte[] buf = h.buffer();
        if (useTransportCc && transportCcExtensionId != 0) {
            int at = h.findExtension(transportCcExtensionId);
            if (at >= 0 && h.foundExtensionLength() >= 2) transportCc.onPacket(BigEndian.u16(buf, at), arrival);
        }
        if (absSendTimeExtensionId != 0) {
            int at = h.findExtension(absSendTimeExtensionId);
            if (at >= 0 && h.foundExtensionLength() == 3) arrivalDelay.onPacket(BigEndian.u24(buf, at), arrival);
        }
    }

    /** Transport-cc feedback and NACKs whose time has come; cheap when nothing is due (called per packet). */
    void sendDue(long now) {
        if (!link.attached()) return;
        if (useTransportCc && transportCc.hasPending() && now - lastTransportCcNanos >= transportCcIntervalNanos) {
            // From the first feedback on: before it, the gap is the publisher's ICE and DTLS set-up.
            if (transportCcFeedbacksSent > 0 && now - lastTransportCcNanos > maxFeedbackGapNanos) {
                maxFeedbackGapNanos = now - lastTransportCcNanos;
            }
            lastTransportCcNanos = now;
            long mediaSsrc = feedbackMediaSsrc();
            for (int i = 0; i < MAX_TRANSPORT_CC_PER_FLUSH && transportCc.hasPending(); i++) {
                int n = transportCc.write(link.buffer, 0, link.localSsrc, mediaSsrc);
                transportCcFeedbacksSent++;
                link.send(n);
            }
        }
        if (now - lastNackRunNanos >= NACK_RUN_NANOS) {
            lastNackRunNanos = now;
            for (PublisherTrack t : tracks) {
                if (!t.nackEnabled || !t.ssrcKnown || t.nack.missingCount() == 0) continue;
                long rtt = t.nack.roundTripNanos();
                long retry = Math.max(MIN_NACK_RETRY_NANOS, rtt < 0 ? DEFAULT_RTT_NANOS : rtt);
                int n = t.nack.collect(now, retry, nackScratch);
                if (n == 0) continue;
                int len = RtcpWriter.writeNack(link.buffer, 0, link.localSsrc, t.ssrc, nackScratch, n);
                t.nackPacketsSent++;
                link.send(len);
            }
        }
    }

    /** The tick's share (publisher attached): due feedback, the health window, REMB. */
    void onTick(long now) {
        sendDue(now);
        if (feedbackWindowStartNanos < 0) {
            // Opened here rather than when the publisher was bound: a window that began a tick earlier than the
            // tracks' ends a tick earlier too, and with a stream of few large frames (a starved encoder sends ~1 a
            // second) one window holds a frame the other does not. That is how a CI run saw 31 kbit/s acknowledged
            // (the audio alone) against 318 kbit/s in the tracks.
            feedbackWindowStartNanos = now;
            windowStartBytes = remb.totalBytes();
        } else if (now - feedbackWindowStartNanos >= 1_000_000_000L) {
            // Every packet that reached us is reported received: this rate is what the feedback acknowledged, the
            // figure a sender's estimate settles around when nothing is lost or queued.
            long bytes = remb.totalBytes();
            acknowledgedBitrate = (bytes - windowStartBytes) * 8 * 1_000_000_000L / (now - feedbackWindowStartNanos);
            windowStartBytes = bytes;
            feedbackWindowStartNanos = now;
            lastWindowMaxFeedbackGapNanos = maxFeedbackGapNanos;
            maxFeedbackGapNanos = 0;
            lastWindowMaxWaitNanos = maxWaitNanos;
            maxWaitNanos = 0;
            arrivalDelay.closeWindow();
        }
        if (useRemb && now - nextRembNanos >= 0) {
            nextRembNanos = now + REMB_INTERVAL_NANOS;
            sendRemb(now);
        }
    }

    /** The SSRC transport-cc feedback names (senders ignore it; libwebrtc puts a media SSRC there): video first. */
    private long feedbackMediaSsrc() {
        long any = 0;
        for (PublisherTrack t : tracks) {
            if (!t.ssrcKnown) continue;
            if (t.kind == MediaKind.VIDEO) return t.ssrc;
            if (any == 0) any = t.ssrc;
        }
        return any;
    }

    private void sendRemb(long now) {
        long expected = 0;
        long originals = 0;
        int count = 0;
        for (PublisherTrack t : tracks) {
            expected += t.receive.expected();
            originals += t.streamOriginals;
            if (t.ssrcKnown) rembSsrcs[count++] = t.ssrc;
        }
        long estimate = remb.update(now, expected, originals);
        if (estimate < 0 || count == 0) return;
        lastRembBitrate = estimate;
        link.send(RtcpWriter.writeRemb(link.buffer, 0, link.localSsrc, estimate, rembSsrcs, count));
    }

    /** One RR with a block per publisher SSRC that has sent media, plus our CNAME. False when there is nothing. */
    boolean sendReceiverReport(long now) {
        int blocks = 0;
        for (PublisherTrack t : tracks) if (t.ssrcKnown && t.receive.hasPackets()) blocks++;
        if (blocks == 0) return false;
        blocks = Math.min(blocks, 31);
        byte[] b = link.buffer;
        int n = RtcpWriter.writeReceiverReport(b, 0, link.localSsrc, blocks);
        int written = 0;
        for (PublisherTrack t : tracks) {
            if (written < blocks && t.ssrcKnown && t.receive.hasPackets()) {
                n += t.receive.writeReportBlock(b, n, t.ssrc, now);
                written++;
            }
        }
        n += RtcpWriter.writeSdesCname(b, n, link.localSsrc, cname);
        link.send(n);
        return true;
    }

    String mode() { return !link.attached() ? "none" : useTransportCc ? "transport-cc" : useRemb ? "remb" : "none"; }

    long lastRembBitrate() { return lastRembBitrate; }

    long transportCcFeedbacksSent() { return transportCcFeedbacksSent; }

    /** Feedback health for the ingest view ({@link IngestStats.Feedback#NONE} without transport-cc). */
    IngestStats.Feedback health() {
        if (!useTransportCc) return IngestStats.Feedback.NONE;
        return new IngestStats.Feedback(transportCc.packetsReported(), transportCc.packetsReportedLost(),
                transportCc.latePackets(), lastWindowMaxFeedbackGapNanos / 1e6,
                arrivalDelay.packets() == 0 ? -1
                        : Math.max(arrivalDelay.lastWindowMaxNanos(), arrivalDelay.currentWindowMaxNanos()) / 1e6,
                Math.max(lastWindowMaxWaitNanos, maxWaitNanos) / 1e6, acknowledgedBitrate);
    }
}
