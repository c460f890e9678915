package live.cascade.sfu.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.Keyframes;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.RtcpSenderReport;
import live.cascade.sfu.rtp.RtcpStatus;
import live.cascade.sfu.rtp.RtcpTypes;
import live.cascade.sfu.rtp.RtcpWalker;
import live.cascade.sfu.rtp.RtcpWriter;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpRewriter;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One live channel's router: at most one publisher, many viewers, and in-process sinks.
 *
 * <p>The packet path ({@link MediaReceiver#onRtp} of the receiver {@link #attachPublisher} returns) parses the header
 * once, maps the packet to a track (SSRC, else the mid extension, else the payload type, learning the SSRC), updates
 * receive statistics, then walks the track's copy-on-write consumer array (each consumer copies into its own buffer,
 * rewrites and sends) and the sink array. It allocates nothing per packet.
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

    private final RtpHeader header = new RtpHeader();
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
        for (int i = 0; i < tracks.length; i++) tracks[i] = new PublisherTrack(publisherTracks.get(i));
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
        this.publisherClockKnown = false;
        this.receiverReportScheduled = false;
        return session;
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

    void onPublisherRtp(PublisherSession from, byte[] buf, int off, int len) {
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
        PublisherTrack t = trackFor(h);
        if (t == null) return;
        if (h.payloadType() != t.payloadType) {
            if (h.payloadType() == t.rtxPayloadType) {
                t.rtxPackets++;
                drops.add(DropReason.RTX_NOT_SUPPORTED_YET);
            } else {
                drops.add(DropReason.UNKNOWN_PAYLOAD_TYPE);
            }
            return;
        }
        long now = clock.nanoTime();
        boolean keyframe = t.kind == MediaKind.AUDIO
                || Keyframes.isKeyframeStart(t.payloadFormat, buf, h.payloadOffset(), h.payloadLength());
        t.packets++;
        t.bytes += len;
        t.lastSeenNanos = now;
        t.receive.onPacket(h.sequenceNumber(), h.timestamp(), now);
        if (keyframe && t.kind == MediaKind.VIDEO) {
            t.keyframes++;
            t.keyframeRequestPending = false;
        }
        if (!firstMediaSeen) {
            firstMediaSeen = true;
            try {
                listener.onFirstMedia(channelId);
            } catch (RuntimeException e) {
                // A listener's failure must not cost the packet.
            }
        }
        forward(t, h, keyframe, now);
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
    void forward(PublisherTrack t, RtpHeader packet, boolean keyframe, long nowNanos) {
        TrackConsumer[] cs = t.consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forward(packet, keyframe, nowNanos, drops);
    }

    /** The track a packet belongs to, learning SSRCs; null (counted) for RTX and unknown streams. */
    private PublisherTrack trackFor(RtpHeader h) {
        long ssrc = h.ssrc();
        for (PublisherTrack t : tracks) {
            if (t.ssrcKnown && t.ssrc == ssrc) return t;
            if (t.rtxSsrcKnown && t.rtxSsrc == ssrc) return rtx(t);
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
        return rtx(t);
    }

    private PublisherTrack rtx(PublisherTrack t) {
        t.rtxPackets++;
        drops.add(DropReason.RTX_NOT_SUPPORTED_YET);
        return null;
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
     * Audio flows at once; video waits for the next keyframe, which is requested from the publisher.
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
            consumers.add(new TrackConsumer(v, source, vt, rewriter, config.maxPacketSize()));
        }
        v.tracks = consumers.toArray(new TrackConsumer[0]);
        for (TrackConsumer c : v.tracks) c.source.consumers = CopyOnWrite.append(c.source.consumers, c);
        viewers = CopyOnWrite.append(viewers, v);
        long now = clock.nanoTime();
        for (TrackConsumer c : v.tracks) if (c.waitingForKeyframe) requestKeyframe(c.source, now);
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
     * receiver reports to the publisher and sender reports to each viewer, each about once per report interval.
     * {@code nowNanos} must come from the same clock as the router's {@link MediaClock#nanoTime()}.
     */
    public void onTick(long nowNanos) {
        if (closed) return;
        if (publisher != null) {
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
