package live.cascade.sfu.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.feedback.ArrivalDelay;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.codec.Keyframes;
import live.cascade.sfu.receive.NackGenerator;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.feedback.RembEstimator;
import live.cascade.sfu.codec.ResolutionDetector;
import live.cascade.sfu.rtcp.RtcpSenderReport;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWalker;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.RtxPacketizer;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One live channel's router: at most one publisher, many viewers, and in-process sinks.
 *
 * <p>The packet path ({@link MediaReceiver#onRtp} of the receiver {@link #attachPublisher} returns) parses the header
 * once, records the transport-wide sequence number for congestion feedback, maps the packet to a track (SSRC, else the
 * mid extension, else the payload type, learning the SSRC; RTX is unwrapped into the original packet), drops
 * duplicates, notes gaps for NACKs, stores the packet in the track's history (which also serves the GOP cache),
 * updates receive statistics, then walks the track's copy-on-write consumer array (each consumer copies into its own
 * buffer, rewrites and sends) and the sink array. It allocates nothing per packet.
 *
 * <p>Feedback to the publisher: transport-cc feedback every {@link RouterConfig#transportCcInterval()} when the
 * publisher negotiated transport-cc, otherwise a {@link RembEstimator REMB estimate} when it negotiated goog-remb;
 * batched NACKs for its losses ({@link NackGenerator}); throttled keyframe requests. Feedback that is due goes out
 * from the packet path as packets arrive and from {@link #onTick}, so its timing does not depend on the tick rate.
 *
 * <p>All methods must be called on the router's media worker thread.
 */
public final class Router {
    private static final PacketSink[] NO_SINKS = new PacketSink[0];
    private static final ViewerConsumer[] NO_VIEWERS = new ViewerConsumer[0];

    private final String channelId;
    private final RouterListener listener;
    private final RouterConfig config;
    private final MediaClock clock;
    private final RandomGenerator random;
    private final long localSsrc;
    private final byte[] cname;
    private final long keyframeIntervalNanos;
    private final long reportIntervalNanos;
    private final PublisherTrack[] tracks;
    final DropCounters drops = new DropCounters();
    private final long clockAnchorNanos;
    private final long epochAnchorNanos;

    /** How often the NACK lists are looked at; each look sends at most one NACK per track. */
    private static final long NACK_RUN_NANOS = 10_000_000L;
    /** Retry spacing for NACKs until a round trip has been measured (libwebrtc's default assumption too). */
    private static final long DEFAULT_RTT_NANOS = 100_000_000L;
    private static final long MIN_NACK_RETRY_NANOS = 10_000_000L;
    private static final long REMB_INTERVAL_NANOS = 250_000_000L;
    /** Feedback packets per flush: a backlog beyond this waits for the next one. */
    private static final int MAX_TRANSPORT_CC_PER_FLUSH = 4;

    private final RtpHeader header = new RtpHeader();
    /** The original packet restored from a publisher RTX packet. */
    private final RtpHeader repairHeader = new RtpHeader();
    private final byte[] repairBuffer;
    /** A view over packets in a track's history (catch-up, NACK answers); never nested with another use. */
    final RtpHeader historyHeader = new RtpHeader();
    private final TransportCcFeedback transportCc = new TransportCcFeedback();
    private final ArrivalDelay arrivalDelay = new ArrivalDelay();
    private final RembEstimator remb;
    private final long transportCcIntervalNanos;
    private final int[] nackScratch = new int[256];
    private final long[] rembSsrcs;
    private final ResolutionDetector resolution = new ResolutionDetector();
    private final RtcpWalker walker = new RtcpWalker();
    private final RtcpSenderReport senderReport = new RtcpSenderReport();
    private final byte[] rtcpBuffer = new byte[1500 + MediaTransport.SRTP_TAIL_ROOM];

    private PacketSink[] sinks = NO_SINKS;
    private ViewerConsumer[] viewers = NO_VIEWERS;
    private MediaTransport publisher;
    private PublisherSession session;
    private boolean firstMediaSeen;
    /** Our epoch nanos minus the publisher's (from its first SR): one offset for all its tracks keeps A/V sync. */
    private boolean publisherClockKnown;
    private long publisherClockOffsetNanos;
    private long nextReceiverReportNanos;
    private boolean receiverReportScheduled;
    private boolean closed;
    private boolean useTransportCc;
    private boolean useRemb;
    private int transportCcExtensionId;
    private long lastTransportCcNanos;
    private long lastNackRunNanos;
    private long nextRembNanos;
    private long lastRembBitrate = -1;
    private long transportCcFeedbacksSent;
    private int absSendTimeExtensionId;
    /** Feedback health windows (~1 s, closed on the tick): the longest gap between transport-cc flushes. */
    private long feedbackWindowStartNanos;
    private long maxFeedbackGapNanos;
    private long lastWindowMaxFeedbackGapNanos;
    private long maxWaitNanos;
    private long lastWindowMaxWaitNanos;

    public Router(String channelId, List<TrackParameters> publisherTracks, RouterListener listener) {
        this(channelId, publisherTracks, listener, RouterConfig.defaults(), MediaClock.SYSTEM, new SplittableRandom());
    }

    /**
     * @param publisherTracks the publication's tracks: they fix the formats this router carries for its life
     * @param random          source of initial sequence numbers, timestamps and our SSRC (seed it in tests)
     */
    public Router(String channelId, List<TrackParameters> publisherTracks, RouterListener listener,
                  RouterConfig config, MediaClock clock, RandomGenerator random) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (publisherTracks.isEmpty()) throw new IllegalArgumentException("a publication needs at least one track");
        this.tracks = new PublisherTrack[publisherTracks.size()];
        for (int i = 0; i < tracks.length; i++) tracks[i] = new PublisherTrack(publisherTracks.get(i), config);
        this.repairBuffer = new byte[config.maxPacketSize() + MediaTransport.SRTP_TAIL_ROOM];
        this.remb = new RembEstimator(config.rembMaxBitrate());
        this.transportCcIntervalNanos = config.transportCcInterval().toNanos();
        this.rembSsrcs = new long[tracks.length];
        this.localSsrc = config.localSsrc() != 0 ? config.localSsrc() : 1 + random.nextLong(0xFFFF_FFFFL);
        this.cname = (config.cname() != null ? config.cname() : "cascade-" + channelId).getBytes(StandardCharsets.UTF_8);
        if (cname.length > 255) throw new IllegalArgumentException("CNAME too long: use RouterConfig.cname");
        this.keyframeIntervalNanos = config.keyframeRequestInterval().toNanos();
        this.reportIntervalNanos = config.reportInterval().toNanos();
        this.clockAnchorNanos = clock.nanoTime();
        this.epochAnchorNanos = clock.epochMillis() * 1_000_000L;
    }

    public String channelId() { return channelId; }

    /** Our SSRC in RTCP to the publisher. */
    public long localSsrc() { return localSsrc; }

    // ---------------------------------------------------------------- publisher

    /**
     * Binds a publisher (first, or reconnecting with the same formats). A previous publisher is replaced: packets
     * still arriving on its receiver are dropped as {@link DropReason#STALE_PUBLISHER}. Viewers continue seamlessly:
     * their sequence numbers and timestamps continue, video waits for the new stream's first keyframe.
     *
     * @return the receiver the publisher's transport feeds decrypted RTP and RTCP to
     * @throws IllegalArgumentException when the tracks' formats differ from this router's ({@link #canContinueWith})
     */
    public MediaReceiver attachPublisher(MediaTransport publisher, List<TrackParameters> publisherTracks) {
        requireOpen();
        Objects.requireNonNull(publisher, "publisher");
        int[] match = match(publisherTracks);
        if (match == null) throw new IllegalArgumentException("publisher tracks do not match the router's formats");
        for (int i = 0; i < tracks.length; i++) {
            PublisherTrack t = tracks[i];
            t.bind(publisherTracks.get(match[i]));
            for (TrackConsumer c : t.consumers) c.onNewSource();
        }
        this.publisher = publisher;
        this.session = new PublisherSession(this);
        this.firstMediaSeen = false;
        configureFeedback();
        this.publisherClockKnown = false;
        this.receiverReportScheduled = false;
        for (PacketSink s : sinks) {
            try {
                s.onPublisherAttached();
            } catch (RuntimeException e) {
                drops.add(DropReason.SINK_FAILED);
            }
        }
        return session;
    }

    /** Transport-cc when any track negotiated it (one transport, one sequence), else REMB when negotiated. */
    private void configureFeedback() {
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
        lastTransportCcNanos = clock.nanoTime();
        feedbackWindowStartNanos = lastTransportCcNanos;
        maxFeedbackGapNanos = lastWindowMaxFeedbackGapNanos = 0;
        maxWaitNanos = lastWindowMaxWaitNanos = 0;
        nextRembNanos = lastTransportCcNanos;
        lastRembBitrate = -1;
        transportCcFeedbacksSent = 0;
    }

    /**
     * True when a publisher offering {@code publisherTracks} can feed this router: the same number of tracks, each
     * matching a distinct track of this router by kind and {@link live.cascade.sfu.params.Codec#sameFormat}.
     */
    public boolean canContinueWith(List<TrackParameters> publisherTracks) { return match(publisherTracks) != null; }

    private int[] match(List<TrackParameters> candidate) {
        if (candidate.size() != tracks.length) return null;
        int[] match = new int[tracks.length];
        boolean[] used = new boolean[candidate.size()];
        for (int i = 0; i < tracks.length; i++) {
            match[i] = -1;
            for (int j = 0; j < candidate.size(); j++) {
                TrackParameters p = candidate.get(j);
                if (!used[j] && p.kind() == tracks[i].kind && p.codec().sameFormat(tracks[i].format)) {
                    used[j] = true;
                    match[i] = j;
                    break;
                }
            }
            if (match[i] < 0) return null;
        }
        return match;
    }

    /** The publisher has gone; viewers stay attached and see a freeze until a publisher attaches again. */
    public void detachPublisher() {
        publisher = null;
        session = null;
    }

    public boolean hasPublisher() { return publisher != null; }

    /** {@code waitedNanos}: how long before now the packet reached this host (0 when unknown). */
    void onPublisherRtp(PublisherSession from, byte[] buf, int off, int len, long waitedNanos) {
        if (from != session) {
            drops.add(DropReason.STALE_PUBLISHER);
            return;
        }
        RtpHeader h = header;
        if (h.parse(buf, off, len) != RtpStatus.OK) {
            drops.add(DropReason.MALFORMED_RTP);
            return;
        }
        if (len > config.maxPacketSize()) {
            drops.add(DropReason.PACKET_TOO_LARGE);
            return;
        }
        long now = clock.nanoTime();
        // The feedback reports when the packet reached the host, not when this thread got to it: the wait for the
        // worker is not queueing on the publisher's path (issue 16).
        long arrival = waitedNanos > 0 ? now - waitedNanos : now;
        if (waitedNanos > maxWaitNanos) maxWaitNanos = waitedNanos;
        // Congestion feedback covers every packet of the transport (media, RTX, probe padding) before any filtering.
        remb.onPacket(len);
        if (useTransportCc && transportCcExtensionId != 0) {
            int at = h.findExtension(transportCcExtensionId);
            if (at >= 0 && h.foundExtensionLength() >= 2) transportCc.onPacket(BigEndian.u16(buf, at), arrival);
        }
        if (absSendTimeExtensionId != 0) {
            int at = h.findExtension(absSendTimeExtensionId);
            if (at >= 0 && h.foundExtensionLength() == 3) arrivalDelay.onPacket(BigEndian.u24(buf, at), arrival);
        }
        PublisherTrack t = trackFor(h);
        if (t != null) {
            t.wireBytes += len;
            // RFC 4588 RTX needs its own SSRC: the RTX payload type on the media SSRC is not a stream we know.
            boolean mediaSsrc = t.ssrcKnown && h.ssrc() == t.ssrc;
            if (mediaSsrc && h.payloadType() == t.payloadType) {
                media(t, h, false, now);
            } else if (!mediaSsrc && h.payloadType() == t.rtxPayloadType) {
                onRtx(t, h, now);
            } else {
                drops.add(DropReason.UNKNOWN_PAYLOAD_TYPE);
            }
        }
        sendDueFeedback(now);
    }

    /** An RTX packet from the publisher: the answer to one of our NACKs (or a probe), restored and routed as media. */
    private void onRtx(PublisherTrack t, RtpHeader rtx, long now) {
        t.rtxPackets++;
        if (!t.ssrcKnown) {
            drops.add(DropReason.UNKNOWN_SSRC);
            return;
        }
        int n = RtxPacketizer.unwrap(rtx, repairBuffer, 0, t.payloadType, t.ssrc);
        if (n < 0) {
            t.paddingPackets++;
            drops.add(DropReason.RTX_PADDING);
            return;
        }
        if (repairHeader.parse(repairBuffer, 0, n) != RtpStatus.OK) {
            drops.add(DropReason.MALFORMED_RTP);
            return;
        }
        media(t, repairHeader, true, now);
    }

    /** One media packet of {@code t}, original or {@code repaired} (restored from RTX). */
    private void media(PublisherTrack t, RtpHeader h, boolean repaired, long now) {
        long ext;
        if (repaired) {
            // A retransmission answers a NACK for a number below the newest: it must not move the stream's
            // unwrapping forward (a stray or forged OSN would make every later packet look old).
            SequenceUnwrapper u = t.sequence;
            ext = u.highest() + SequenceNumbers.diff(h.sequenceNumber(), (int) (u.highest() & SequenceNumbers.MASK));
            if (!u.started() || ext >= u.highest()) {
                t.duplicatePackets++;
                drops.add(DropReason.DUPLICATE_PACKET);
                return;
            }
        } else {
            ext = t.sequence.unwrap(h.sequenceNumber());
        }
        if (t.history.contains(ext)) {
            t.duplicatePackets++;
            drops.add(DropReason.DUPLICATE_PACKET);
            return;
        }
        if (t.history.isBeforeWindow(ext)) {
            drops.add(DropReason.TOO_OLD);
            return;
        }
        // Loss is tracked only where we may NACK: an unrequested list would fill with gaps nobody collects.
        int arrival = t.nackEnabled ? t.nack.onPacket(ext, now) : NackGenerator.IN_ORDER;
        if (arrival == NackGenerator.RECOVERED) {
            t.packetsRecovered++;
        } else if (arrival == NackGenerator.GAP_TOO_LARGE && t.kind == MediaKind.VIDEO) {
            requestKeyframe(t, now);
        }
        byte[] buf = h.buffer();
        int off = h.offset();
        int len = h.length();
        boolean keyframe = t.kind == MediaKind.AUDIO
                || Keyframes.isKeyframeStart(t.payloadFormat, buf, h.payloadOffset(), h.payloadLength());
        t.packets++;
        t.bytes += len;
        t.lastSeenNanos = now;
        t.receive.onPacket(h.sequenceNumber(), h.timestamp(), now, repaired);
        if (!repaired) t.streamOriginals++;
        if (ext > t.highestExt) {
            if (t.kind == MediaKind.VIDEO && h.timestamp() != t.lastFrameTimestamp) t.frames++;
            t.lastFrameTimestamp = h.timestamp();
            t.highestExt = ext;
        }
        t.history.store(ext, buf, off, len, now);
        if (keyframe && t.kind == MediaKind.VIDEO) {
            t.keyframeRequestPending = false;
            if (t.gop.onPacket(ext, h.timestamp(), true, now)) t.nack.clearBefore(ext);
            int size = resolution.detect(t.payloadFormat, buf, h.payloadOffset(), h.payloadLength());
            if (size != 0) {
                t.width = ResolutionDetector.width(size);
                t.height = ResolutionDetector.height(size);
            }
        }
        if (!firstMediaSeen) {
            firstMediaSeen = true;
            try {
                listener.onFirstMedia(channelId);
            } catch (RuntimeException e) {
                // A listener's failure must not cost the packet.
            }
        }
        forward(t, h, ext, keyframe, now);
        PacketSink[] ss = sinks;
        for (int i = 0; i < ss.length; i++) {
            try {
                ss[i].onRtp(t.kind, buf, off, len);
            } catch (RuntimeException e) {
                drops.add(DropReason.SINK_FAILED);
            }
        }
    }

    /**
     * The fan-out: every consumer of {@code t} copies, rewrites and sends {@code packet}. Package-visible so a
     * benchmark can drive it without a transport; {@code packet} must be a parsed packet of {@code t}.
     */
    void forward(PublisherTrack t, RtpHeader packet, long ext, boolean keyframe, long nowNanos) {
        TrackConsumer[] cs = t.consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forward(packet, ext, keyframe, nowNanos, drops);
    }

    /** The track a packet (media or RTX) belongs to, learning SSRCs; null (counted) for unknown streams. */
    private PublisherTrack trackFor(RtpHeader h) {
        long ssrc = h.ssrc();
        for (PublisherTrack t : tracks) {
            if (t.ssrcKnown && t.ssrc == ssrc) return t;
            if (t.rtxSsrcKnown && t.rtxSsrc == ssrc) return t;
        }
        int pt = h.payloadType();
        for (PublisherTrack t : tracks) {
            if (t.midExtensionId != 0 && h.extensionEquals(t.midExtensionId, t.midBytes)) {
                if (pt == t.rtxPayloadType) return learnRtx(t, ssrc);
                if (!t.ssrcKnown) return learn(t, ssrc);
                // The mid names a track whose SSRC is known and different: not a stream we were told about.
                drops.add(DropReason.UNKNOWN_SSRC);
                return null;
            }
        }
        // No usable mid (not negotiated, or only in early packets that were lost): fall back to the payload type.
        for (PublisherTrack t : tracks) {
            if (!t.ssrcKnown && pt == t.payloadType) return learn(t, ssrc);
            if (!t.rtxSsrcKnown && pt == t.rtxPayloadType) return learnRtx(t, ssrc);
        }
        drops.add(DropReason.UNKNOWN_SSRC);
        return null;
    }

    private PublisherTrack learn(PublisherTrack t, long ssrc) {
        t.ssrc = ssrc;
        t.ssrcKnown = true;
        return t;
    }

    private PublisherTrack learnRtx(PublisherTrack t, long ssrc) {
        t.rtxSsrc = ssrc;
        t.rtxSsrcKnown = true;
        return t;
    }

    void onPublisherRtcp(PublisherSession from, byte[] buf, int off, int len) {
        if (from != session) {
            drops.add(DropReason.STALE_PUBLISHER);
            return;
        }
        if (walker.validate(buf, off, len) != RtcpStatus.OK) {
            drops.add(DropReason.MALFORMED_RTCP);
            return;
        }
        long now = clock.nanoTime();
        walker.reset(buf, off, len);
        while (walker.next()) {
            // A sendonly publisher's RR, SDES, BYE and feedback need no action yet: teardown comes from signaling.
            if (walker.packetType() != RtcpTypes.SR) continue;
            if (senderReport.parse(buf, walker.packetOffset(), walker.contentLength()) != RtcpStatus.OK) {
                drops.add(DropReason.MALFORMED_RTCP);
                continue;
            }
            PublisherTrack t = trackBySsrc(senderReport.senderSsrc());
            if (t != null) onPublisherSenderReport(t, senderReport, now);
        }
    }

    private void onPublisherSenderReport(PublisherTrack t, RtcpSenderReport sr, long now) {
        long ntp = sr.ntpTimestamp();
        PacketSink[] ss = sinks;
        for (int i = 0; i < ss.length; i++) {
            try {
                ss[i].onSenderReport(t.kind, ntp, sr.rtpTimestamp());
            } catch (RuntimeException e) {
                drops.add(DropReason.SINK_FAILED);
            }
        }
        t.receive.onSenderReport(ntp, now);
        long publisherEpochNanos = NtpTime.toEpochNanos(ntp);
        if (!publisherClockKnown) {
            publisherClockOffsetNanos = epochNanosAt(now) - publisherEpochNanos;
            publisherClockKnown = true;
        }
        // Use the SR's timestamp only when it is plausible for the stream: OBS's first SR carries 0xFFFFFFFF.
        long srTimestamp = sr.rtpTimestamp();
        if (t.receive.hasPackets()
                && Math.abs(Timestamps.diff(srTimestamp, t.receive.highestTimestamp())) <= 10L * t.clockRate) {
            t.syncValid = true;
            t.syncPublisherEpochNanos = publisherEpochNanos;
            t.syncRtpTimestamp = srTimestamp;
        }
    }

    private PublisherTrack trackBySsrc(long ssrc) {
        for (PublisherTrack t : tracks) if (t.ssrcKnown && t.ssrc == ssrc) return t;
        return null;
    }

    // ---------------------------------------------------------------- keyframes

    /**
     * Asks the publisher for a keyframe on {@code t}, at most once per configured interval; a request that cannot go
     * now (throttled, no publisher, SSRC unknown) stays pending and {@link #onTick} sends it when allowed, unless a
     * keyframe arrives first.
     */
    void requestKeyframe(PublisherTrack t, long now) {
        if (t.kind != MediaKind.VIDEO) return;
        MediaTransport p = publisher;
        if (p == null || !t.ssrcKnown
                || (t.haveRequested && now - t.lastKeyframeRequestNanos < keyframeIntervalNanos)) {
            t.keyframeRequestPending = true;
            return;
        }
        int n = t.useFir
                ? RtcpWriter.writeFir(rtcpBuffer, 0, localSsrc, t.ssrc, t.firSequence++ & 0xFF)
                : RtcpWriter.writePli(rtcpBuffer, 0, localSsrc, t.ssrc);
        t.haveRequested = true;
        t.lastKeyframeRequestNanos = now;
        t.keyframeRequestPending = false;
        t.keyframeRequestsSent++;
        sendToPublisher(p, n);
        try {
            listener.onKeyframeRequest(channelId, t.mid);
        } catch (RuntimeException e) {
            // Listener trouble must not break the media path.
        }
    }

    /**
     * Asks the publisher for a keyframe on every video track, throttled like viewers' requests: for in-process sinks
     * that cut segments at keyframes (the HLS tap).
     */
    public void requestKeyframe() {
        if (closed) return;
        long now = clock.nanoTime();
        for (PublisherTrack t : tracks) if (t.kind == MediaKind.VIDEO) requestKeyframe(t, now);
    }

    private void sendToPublisher(MediaTransport p, int len) {
        try {
            p.sendRtcp(rtcpBuffer, 0, len);
        } catch (RuntimeException e) {
            drops.add(DropReason.SEND_FAILED);
        }
    }

    // ---------------------------------------------------------------- viewers and sinks

    /**
     * Adds a viewer. Each viewer track is fed by the router track of the same kind; it carries the SSRC, payload
     * type, mid and extension ids the viewer negotiated. Viewer tracks of a kind the publication lacks get nothing.
     * Audio flows at once, from the live edge. Video starts from the GOP cache when it holds a whole group of pictures
     * (the cached keyframe and what followed, sent faster than real time until the viewer is live); otherwise it waits
     * for the next keyframe, which is requested from the publisher.
     *
     * @throws IllegalArgumentException when a viewer track's codec is not the publication's format for its kind, or
     *                                  its SSRC is 0
     */
    public ViewerHandle addViewer(MediaTransport viewer, List<TrackParameters> viewerTracks) {
        requireOpen();
        Objects.requireNonNull(viewer, "viewer");
        ViewerConsumer v = new ViewerConsumer(this, viewer, random.nextInt(1 << 16));
        List<TrackConsumer> consumers = new ArrayList<>();
        for (TrackParameters vt : viewerTracks) {
            PublisherTrack source = trackOfKind(vt.kind());
            if (source == null) continue;
            if (!vt.codec().sameFormat(source.format)) {
                throw new IllegalArgumentException("viewer " + vt.kind() + " codec " + vt.codec().name()
                        + " does not match the publication's " + source.format.name());
            }
            if (vt.ssrc() == 0) throw new IllegalArgumentException("viewer track " + vt.mid() + " has no SSRC");
            RtpRewriter rewriter = new RtpRewriter(vt.ssrc(), vt.codec().payloadType(), source.clockRate,
                    vt.extensions(), vt.mid(), v.transportSequence, random.nextInt(1 << 16),
                    random.nextLong(1L << 32));
            consumers.add(new TrackConsumer(v, source, vt, rewriter, config.maxPacketSize(), random.nextInt(1 << 16)));
        }
        v.tracks = consumers.toArray(new TrackConsumer[0]);
        for (TrackConsumer c : v.tracks) c.source.consumers = CopyOnWrite.append(c.source.consumers, c);
        viewers = CopyOnWrite.append(viewers, v);
        long now = clock.nanoTime();
        for (TrackConsumer c : v.tracks) {
            PublisherTrack t = c.source;
            if (!c.waitingForKeyframe) continue;
            if (config.catchUpSpeed() > 0 && publisher != null && t.ssrcKnown && t.gop.canServe(t.history)) {
                c.startCatchUp(t.gop.startExt(), t.gop.keyframeTimestamp(), config.catchUpSpeed(), now);
                c.pumpCatchUp(now, drops);
            } else {
                requestKeyframe(t, now);
            }
        }
        return v;
    }

    private PublisherTrack trackOfKind(MediaKind kind) {
        for (PublisherTrack t : tracks) if (t.kind == kind) return t;
        return null;
    }

    void removeViewer(ViewerConsumer v) {
        for (TrackConsumer c : v.tracks) c.source.consumers = CopyOnWrite.remove(c.source.consumers, c);
        viewers = CopyOnWrite.remove(viewers, v);
    }

    public int viewerCount() { return viewers.length; }

    /** Adds an in-process sink; it sees every routed publisher packet unmodified. */
    public void addSink(PacketSink sink) {
        requireOpen();
        sinks = CopyOnWrite.append(sinks, Objects.requireNonNull(sink, "sink"));
    }

    public void removeSink(PacketSink sink) { sinks = CopyOnWrite.remove(sinks, sink); }

    // ---------------------------------------------------------------- periodic work

    /**
     * Periodic work, called by the worker often (e.g. every 50–100 ms): pending or still-needed keyframe requests,
     * receiver reports to the publisher and sender reports to each viewer, each about once per report interval,
     * congestion feedback and NACKs that are due (also sent from the packet path), REMB updates, the catch-up of new
     * viewers when the publisher pauses, and the ingest statistics window.
     * {@code nowNanos} must come from the same clock as the router's {@link MediaClock#nanoTime()}.
     */
    public void onTick(long nowNanos) {
        if (closed) return;
        for (PublisherTrack t : tracks) {
            t.advanceWindow(nowNanos);
            TrackConsumer[] cs = t.consumers;
            for (TrackConsumer c : cs) if (c.catchingUp) c.pumpCatchUp(nowNanos, drops);
        }
        if (publisher != null) {
            sendDueFeedback(nowNanos);
            if (nowNanos - feedbackWindowStartNanos >= 1_000_000_000L) {
                feedbackWindowStartNanos = nowNanos;
                lastWindowMaxFeedbackGapNanos = maxFeedbackGapNanos;
                maxFeedbackGapNanos = 0;
                lastWindowMaxWaitNanos = maxWaitNanos;
                maxWaitNanos = 0;
                arrivalDelay.closeWindow();
            }
            if (useRemb && nowNanos - nextRembNanos >= 0) {
                nextRembNanos = nowNanos + REMB_INTERVAL_NANOS;
                sendRemb(nowNanos);
            }
            for (PublisherTrack t : tracks) {
                if (t.kind == MediaKind.VIDEO && (t.keyframeRequestPending || t.hasWaitingConsumer())) {
                    requestKeyframe(t, nowNanos);
                }
            }
            if (!receiverReportScheduled || nowNanos - nextReceiverReportNanos >= 0) {
                if (sendReceiverReport(nowNanos)) {
                    receiverReportScheduled = true;
                    nextReceiverReportNanos = nowNanos + reportIntervalNanos;
                }
            }
        }
        ViewerConsumer[] vs = viewers;
        for (ViewerConsumer v : vs) {
            if (!v.senderReportScheduled || nowNanos - v.nextSenderReportNanos >= 0) {
                v.sendSenderReports(nowNanos);
                v.senderReportScheduled = true;
                v.nextSenderReportNanos = nowNanos + reportIntervalNanos;
            }
        }
    }

    // ---------------------------------------------------------------- feedback to the publisher

    /** Transport-cc feedback and NACKs whose time has come; cheap when nothing is due (called per packet). */
    private void sendDueFeedback(long now) {
        MediaTransport p = publisher;
        if (p == null) return;
        if (useTransportCc && transportCc.hasPending() && now - lastTransportCcNanos >= transportCcIntervalNanos) {
            // From the first feedback on: before it, the gap is the publisher's ICE and DTLS set-up.
            if (transportCcFeedbacksSent > 0 && now - lastTransportCcNanos > maxFeedbackGapNanos) {
                maxFeedbackGapNanos = now - lastTransportCcNanos;
            }
            lastTransportCcNanos = now;
            long mediaSsrc = feedbackMediaSsrc();
            for (int i = 0; i < MAX_TRANSPORT_CC_PER_FLUSH && transportCc.hasPending(); i++) {
                int n = transportCc.write(rtcpBuffer, 0, localSsrc, mediaSsrc);
                transportCcFeedbacksSent++;
                sendToPublisher(p, n);
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
                int len = RtcpWriter.writeNack(rtcpBuffer, 0, localSsrc, t.ssrc, nackScratch, n);
                t.nackPacketsSent++;
                sendToPublisher(p, len);
            }
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
        sendToPublisher(publisher, RtcpWriter.writeRemb(rtcpBuffer, 0, localSsrc, estimate, rembSsrcs, count));
    }

    /** One RR with a block per publisher SSRC that has sent media, plus our CNAME. False when there is nothing. */
    private boolean sendReceiverReport(long now) {
        int blocks = 0;
        for (PublisherTrack t : tracks) if (t.ssrcKnown && t.receive.hasPackets()) blocks++;
        if (blocks == 0) return false;
        blocks = Math.min(blocks, 31);
        int n = RtcpWriter.writeReceiverReport(rtcpBuffer, 0, localSsrc, blocks);
        int written = 0;
        for (PublisherTrack t : tracks) {
            if (written < blocks && t.ssrcKnown && t.receive.hasPackets()) {
                n += t.receive.writeReportBlock(rtcpBuffer, n, t.ssrc, now);
                written++;
            }
        }
        n += RtcpWriter.writeSdesCname(rtcpBuffer, n, localSsrc, cname);
        sendToPublisher(publisher, n);
        return true;
    }

    /**
     * The RTP timestamp a viewer's SR carries for {@code now}. With a plausible publisher SR, it is derived from the
     * publisher's own NTP↔RTP relation (one clock offset for all tracks, so audio and video stay in sync at the
     * viewer) mapped through that viewer's rewrite; otherwise it is extrapolated from the last packet sent.
     */
    long senderReportTimestamp(TrackConsumer c, long now) {
        PublisherTrack t = c.source;
        RtpRewriter r = c.rewriter;
        if (publisher != null && publisherClockKnown && t.syncValid && r.isAnchored() && r.inputSsrc() == t.ssrc) {
            long srAtOurClock = t.syncPublisherEpochNanos + publisherClockOffsetNanos;
            long inTs = t.syncRtpTimestamp + Timestamps.fromNanos(epochNanosAt(now) - srAtOurClock, t.clockRate);
            return r.mapTimestamp(inTs & Timestamps.MASK);
        }
        return r.extrapolateTimestamp(now);
    }

    long now() { return clock.nanoTime(); }

    long epochNanosAt(long monotonicNanos) { return epochAnchorNanos + (monotonicNanos - clockAnchorNanos); }

    long ntpAt(long monotonicNanos) { return NtpTime.fromEpochNanos(epochNanosAt(monotonicNanos)); }

    byte[] cname() { return cname; }

    // ---------------------------------------------------------------- stats and lifecycle

    public long dropCount(DropReason reason) { return drops.count(reason); }

    /**
     * How the publisher's media arrives, per track (allocates; call from the worker, not per packet): what an
     * ingest-health view shows. Rates cover the last window closed by {@link #onTick}.
     */
    public IngestStats ingestStats() {
        long now = clock.nanoTime();
        List<IngestTrackStats> ts = new ArrayList<>(tracks.length);
        for (PublisherTrack t : tracks) ts.add(t.ingestStats(now));
        String feedback = publisher == null ? "none" : useTransportCc ? "transport-cc" : useRemb ? "remb" : "none";
        IngestStats.Feedback health = !useTransportCc ? IngestStats.Feedback.NONE : new IngestStats.Feedback(
                transportCc.packetsReported(), transportCc.packetsReportedLost(), transportCc.latePackets(), lastWindowMaxFeedbackGapNanos / 1e6,
                arrivalDelay.packets() == 0 ? -1 : Math.max(arrivalDelay.lastWindowMaxNanos(), arrivalDelay.currentWindowMaxNanos()) / 1e6,
                Math.max(lastWindowMaxWaitNanos, maxWaitNanos) / 1e6);
        return new IngestStats(channelId, publisher != null, feedback, lastRembBitrate, transportCcFeedbacksSent, ts, health);
    }

    /** A snapshot of counters (allocates; call from the worker, not per packet). */
    public RouterStats stats() {
        List<TrackStats> ts = new ArrayList<>(tracks.length);
        for (PublisherTrack t : tracks) ts.add(t.stats());
        List<ViewerStats> vs = new ArrayList<>(viewers.length);
        for (ViewerConsumer v : viewers) vs.add(v.stats());
        return new RouterStats(channelId, publisher != null, ts, vs, sinks.length, drops.snapshot());
    }

    /** Detaches the publisher, closes every viewer and drops the sinks. The router cannot be used afterwards. */
    public void close() {
        if (closed) return;
        detachPublisher();
        for (ViewerConsumer v : viewers) v.markClosed();
        for (PublisherTrack t : tracks) t.consumers = new TrackConsumer[0];
        viewers = NO_VIEWERS;
        sinks = NO_SINKS;
        closed = true;
    }

    public boolean isClosed() { return closed; }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("router " + channelId + " is closed");
    }
}
