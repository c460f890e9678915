package live.cascade.sfu.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.receive.StageCounters;
import live.cascade.sfu.receive.StageTotals;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.bwe.BweTotals;
import live.cascade.sfu.simulcast.LayerGroup;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One live channel's router: at most one publisher, many viewers, and in-process sinks. It wires the parts and owns
 * their life cycle; the work is theirs:
 *
 * <ul>
 *   <li>{@link ReceivePath}: the publisher's RTP through the stages of {@link live.cascade.sfu.receive} (parse, track
 *       demux, RTX repair, duplicate filter, loss tracking, history, keyframe probe) to the {@link FanOut}, which
 *       hands it to every viewer's {@link TrackConsumer} and every {@link PacketSink};</li>
 *   <li>{@link PublisherRtcp} and {@link PublisherClock}: the publisher's sender reports and the clock mapping;</li>
 *   <li>{@link PublisherFeedback} and {@link KeyframeRequests}: transport-cc or REMB, NACKs, receiver reports and
 *       throttled PLI/FIR, all through one {@link PublisherLink};</li>
 *   <li>{@link ViewerConsumer}: a viewer's RTCP; viewers reach the router only through their {@link ViewerHost}.</li>
 * </ul>
 *
 * <p>All methods must be called on the router's media worker thread. Nothing on the packet path allocates.
 */
public final class Router {
    private final String channelId;
    private final RouterListener listener;
    private final RouterConfig config;
    private final MediaClock clock;
    private final RandomGenerator random;
    private final long reportIntervalNanos;
    private final PublisherTrack[] tracks;
    private final DropCounters drops = new DropCounters();
    private final StageCounters stages;
    private final PublisherLink link;
    private final PublisherClock publisherClock;
    private final PublisherFeedback feedback;
    private final KeyframeRequests keyframes;
    private final FanOut fanOut;
    private final ViewerHost viewerHost;
    private final ReceivePath receivePath;
    private final PublisherRtcp publisherRtcp;
    private final JoinStart joinStart;

    private PublisherSession session;
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
        this(channelId, publisherTracks, listener, config, clock, random, StageTotals.process());
    }

    /** @param totals where the per-stage counters are summed for {@code /metrics} (on the tick and on close) */
    public Router(String channelId, List<TrackParameters> publisherTracks, RouterListener listener,
                  RouterConfig config, MediaClock clock, RandomGenerator random, StageTotals totals) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.stages = new StageCounters(Objects.requireNonNull(totals, "totals"));
        if (publisherTracks.isEmpty()) throw new IllegalArgumentException("a publication needs at least one track");
        this.tracks = new PublisherTrack[publisherTracks.size()];
        for (int i = 0; i < tracks.length; i++) {
            TrackParameters p = publisherTracks.get(i);
            int history = p.kind() == MediaKind.VIDEO ? config.historyPackets() : RouterConfig.AUDIO_HISTORY_PACKETS;
            tracks[i] = new PublisherTrack(p, i, history, config.maxPacketSize(), config.nackMaxRetries(),
                    config.nackMaxAge().toNanos());
        }
        long localSsrc = config.localSsrc() != 0 ? config.localSsrc() : 1 + random.nextLong(0xFFFF_FFFFL);
        byte[] cname = (config.cname() != null ? config.cname() : "cascade-" + channelId).getBytes(StandardCharsets.UTF_8);
        if (cname.length > 255) throw new IllegalArgumentException("CNAME too long: use RouterConfig.cname");
        this.reportIntervalNanos = config.reportInterval().toNanos();
        this.link = new PublisherLink(localSsrc, drops);
        this.publisherClock = new PublisherClock(clock);
        this.feedback = new PublisherFeedback(tracks, link, cname, config.transportCcInterval().toNanos(),
                config.rembMaxBitrate());
        this.keyframes = new KeyframeRequests(link, listener, channelId, config.keyframeRequestInterval().toNanos());
        LayerGroup[] groups = SimulcastGroups.of(tracks, random, config.maxPacketSize());
        this.fanOut = new FanOut(tracks.length, groups, stages, drops);
        this.viewerHost = new ViewerHost(clock, keyframes, publisherClock, link, fanOut, drops, cname);
        this.receivePath = new ReceivePath(tracks, config.maxPacketSize(), stages, drops, fanOut, feedback, keyframes,
                clock, this::onFirstMedia);
        this.publisherRtcp = new PublisherRtcp(tracks, publisherClock, fanOut, drops, clock);
        this.joinStart = new JoinStart(config, link, keyframes, fanOut, drops);
    }

    public String channelId() { return channelId; }

    /** Our SSRC in RTCP to the publisher. */
    public long localSsrc() { return link.localSsrc; }

    // ---------------------------------------------------------------- publisher

    /**
     * Binds a publisher (first, or reconnecting with the same formats). A previous publisher is replaced: packets
     * still arriving on its receiver are dropped as {@link RouterDrop#STALE_PUBLISHER}. Viewers continue seamlessly:
     * their sequence numbers and timestamps continue, video waits for the new stream's first keyframe.
     *
     * @return the receiver the publisher's transport feeds decrypted RTP and RTCP to
     * @throws IllegalArgumentException when the tracks' formats differ from this router's ({@link #canContinueWith})
     */
    public MediaReceiver attachPublisher(MediaTransport publisher, List<TrackParameters> publisherTracks) {
        requireOpen();
        Objects.requireNonNull(publisher, "publisher");
        int[] match = TrackMatch.of(tracks, publisherTracks);
        if (match == null) throw new IllegalArgumentException("publisher tracks do not match the router's formats");
        for (int i = 0; i < tracks.length; i++) {
            PublisherTrack t = tracks[i];
            t.bind(publisherTracks.get(match[i]));
            for (TrackConsumer c : fanOut.consumers(t)) if (c.source == t) c.onNewSource();
        }
        if (session != null) session.retire();
        link.attach(publisher);
        session = new PublisherSession(receivePath, publisherRtcp, drops);
        receivePath.reset();
        feedback.configure(clock.nanoTime());
        publisherClock.reset(clock.nanoTime());
        receiverReportScheduled = false;
        fanOut.publisherAttached();
        return session;
    }

    /**
     * True when a publisher offering {@code publisherTracks} can feed this router: the same number of tracks, each
     * matching a distinct track of this router by kind and {@link live.cascade.sfu.params.Codec#sameFormat}.
     */
    public boolean canContinueWith(List<TrackParameters> publisherTracks) { return TrackMatch.of(tracks, publisherTracks) != null; }

    /** The publisher has gone; viewers stay attached and see a freeze until a publisher attaches again. */
    public void detachPublisher() {
        link.detach();
        if (session != null) session.retire();
        session = null;
    }

    public boolean hasPublisher() { return link.attached(); }

    private void onFirstMedia() {
        try {
            listener.onFirstMedia(channelId);
        } catch (RuntimeException e) {
            // A listener's failure must not cost the packet.
        }
    }

    /**
     * Asks the publisher for a keyframe on every video track, throttled like viewers' requests: for in-process sinks
     * that cut segments at keyframes (the HLS tap).
     */
    public void requestKeyframe() {
        if (closed) return;
        long now = clock.nanoTime();
        for (PublisherTrack t : tracks) {
            LayerGroup g = fanOut.groupOf(t);
            // Of a simulcast group only the layer the sinks follow (or are about to).
            if (t.kind == MediaKind.VIDEO && (g == null || t == g.top())) keyframes.request(t, now);
        }
    }

    /**
     * Asks the publisher for a keyframe on every layer of each simulcast group at once (one compound RTCP packet per
     * group), and on every other video track: for a sink that copies each layer and cuts them all at the same frame
     * (the HLS tap's {@code --hls-simulcast copy}). Throttled per layer like every request.
     */
    public void requestLayerKeyframes() {
        if (closed) return;
        long now = clock.nanoTime();
        for (PublisherTrack t : tracks) {
            if (t.kind != MediaKind.VIDEO) continue;
            LayerGroup g = fanOut.groupOf(t);
            if (g == null) keyframes.request(t, now);
            else if (g.layer(0) == t) keyframes.requestTogether(g, now);
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
        return addViewer(viewer, viewerTracks, config.viewerBwe());
    }

    /**
     * As {@link #addViewer} for a pipe to a relay router on another worker ({@code live.cascade.sfu.spread}): no
     * estimation or pacing (the pipe is memory, not a network path), everything else as for a viewer.
     */
    public ViewerHandle addPipe(MediaTransport pipe, List<TrackParameters> pipeTracks) {
        ViewerConsumer v = (ViewerConsumer) addViewer(pipe, pipeTracks, false);
        v.pipe = true;
        return v;
    }

    private ViewerHandle addViewer(MediaTransport viewer, List<TrackParameters> viewerTracks, boolean bwe) {
        requireOpen();
        Objects.requireNonNull(viewer, "viewer");
        ViewerConsumer v = new ViewerConsumer(viewerHost, viewer, random.nextInt(1 << 16), bwe,
                config.maxPacketSize(), BweTotals.process());
        List<TrackConsumer> consumers = new ArrayList<>();
        long now = clock.nanoTime();
        for (TrackParameters vt : viewerTracks) if (vt.extensions().transportCc() > 0) v.transportCcNegotiated = true;
        for (TrackParameters vt : viewerTracks) {
            PublisherTrack source = trackOfKind(vt.kind());
            if (source == null) continue;
            LayerGroup group = fanOut.groupOf(source);
            if (!vt.codec().sameFormat(source.format)) {
                throw new IllegalArgumentException("viewer " + vt.kind() + " codec " + vt.codec().name()
                        + " does not match the publication's " + source.format.name());
            }
            if (vt.ssrc() == 0) throw new IllegalArgumentException("viewer track " + vt.mid() + " has no SSRC");
            RtpRewriter rewriter = new RtpRewriter(vt.ssrc(), vt.codec().payloadType(), source.clockRate,
                    vt.extensions(), vt.mid(), v.transportSequence, SequenceNumbers.randomInitial(random),
                    random.nextLong(1L << 32));
            int rtxStart = SequenceNumbers.randomInitial(random);
            TrackConsumer c = new TrackConsumer(v, source, group, vt, rewriter, config.maxPacketSize(), rtxStart);
            // A new viewer starts on the layer its estimate (or the start rate) allows, from that layer's cache.
            if (group != null) c.source = c.selector.choose(group, null, v.estimate.bitsPerSecond(), now);
            consumers.add(c);
        }
        v.tracks = consumers.toArray(new TrackConsumer[0]);
        fanOut.addViewer(v);
        for (TrackConsumer c : v.tracks) if (c.waitingForKeyframe) joinStart.start(c, c.source, now);
        return v;
    }

    private PublisherTrack trackOfKind(MediaKind kind) {
        for (PublisherTrack t : tracks) if (t.kind == kind) return t;
        return null;
    }

    /** Viewers attached now (pipes to relay routers not included). */
    public int viewerCount() {
        int n = 0;
        for (ViewerConsumer v : fanOut.viewers()) if (!v.pipe) n++;
        return n;
    }

    /** Pipes to relay routers on other workers attached now. */
    public int pipeCount() { return fanOut.viewers().length - viewerCount(); }

    /** Adds an in-process sink; it sees every routed publisher packet unmodified. */
    public void addSink(PacketSink sink) {
        requireOpen();
        fanOut.addSink(Objects.requireNonNull(sink, "sink"));
    }

    public void removeSink(PacketSink sink) { fanOut.removeSink(sink); }

    // ---------------------------------------------------------------- periodic work

    /**
     * Periodic work, called by the worker often (e.g. every 50–100 ms): pending or still-needed keyframe requests,
     * receiver reports to the publisher and sender reports to each viewer, each about once per report interval,
     * congestion feedback and NACKs that are due (also sent from the packet path), REMB updates, the catch-up of new
     * viewers when the publisher pauses, the ingest statistics window, and the stage counters' flush to the totals.
     * {@code nowNanos} must come from the same clock as the router's {@link MediaClock#nanoTime()}.
     */
    public void onTick(long nowNanos) {
        if (closed) return;
        for (PublisherTrack t : tracks) {
            t.advanceWindow(nowNanos);
            for (TrackConsumer c : fanOut.consumers(t)) if (c.source == t) joinStart.onTick(c, t, nowNanos);
        }
        for (PublisherTrack t : tracks) {
            LayerGroup g = fanOut.groupOf(t);
            if (g != null && g.layer(0) == t) g.rank(nowNanos);
        }
        for (ViewerConsumer v : fanOut.viewers()) v.selectLayers(nowNanos);
        fanOut.updateLayerDemand(nowNanos);
        if (link.attached()) {
            feedback.onTick(nowNanos);
            for (PublisherTrack t : tracks) {
                if (t.kind == MediaKind.VIDEO && (t.keyframeRequestPending || fanOut.hasWaitingConsumer(t))) {
                    keyframes.request(t, nowNanos);
                }
            }
            if (!receiverReportScheduled || nowNanos - nextReceiverReportNanos >= 0) {
                if (feedback.sendReceiverReport(nowNanos)) {
                    receiverReportScheduled = true;
                    nextReceiverReportNanos = nowNanos + reportIntervalNanos;
                }
            }
        }
        for (ViewerConsumer v : fanOut.viewers()) {
            if (v.pacing != null) v.pacing.onTick(nowNanos);
            if (!v.senderReportScheduled || nowNanos - v.nextSenderReportNanos >= 0) {
                v.sendSenderReports(nowNanos);
                v.senderReportScheduled = true;
                v.nextSenderReportNanos = nowNanos + reportIntervalNanos;
            }
        }
        stages.flush();
    }

    /**
     * The pace timer (every few milliseconds while {@link RouterConfig#viewerBwe()} is on): each viewer's pacer
     * releases what its bucket allows, and probe clusters due are sent.
     */
    public void onPace(long nowNanos) {
        if (closed) return;
        ViewerConsumer[] vs = fanOut.viewers();
        for (int i = 0; i < vs.length; i++) if (vs[i].pacing != null) vs[i].pacing.onPace(nowNanos);
    }

    public boolean pacing() { return config.viewerBwe(); }

    /**
     * Whether the publisher stops encoding the simulcast layers {@link #pausedLayers} names (our studio does, told
     * over its WHIP session's event stream). Only then are paused layers offered to viewers' layer choice at their
     * last bitrate; a new publisher starts without.
     */
    public void publisherPausesLayers(boolean on) { fanOut.pausing(on); }

    /** The rids of the simulcast layers nobody has consumed for a while: what the publisher may stop (allocates). */
    public List<String> pausedLayers() {
        List<String> out = new ArrayList<>(2);
        fanOut.pausedLayers(out);
        return out;
    }

    // ---------------------------------------------------------------- stats and lifecycle

    public long dropCount(RouterDrop reason) { return drops.count(reason); }

    /** This router's per-stage in/out/drop counters (live; read on the worker thread). */
    public StageCounters stageCounters() { return stages; }

    /**
     * How the publisher's media arrives, per track (allocates; call from the worker, not per packet): what an
     * ingest-health view shows. Rates cover the last window closed by {@link #onTick}.
     */
    public IngestStats ingestStats() {
        long now = clock.nanoTime();
        List<IngestTrackStats> ts = new ArrayList<>(tracks.length);
        for (PublisherTrack t : tracks) {
            LayerGroup g = fanOut.groupOf(t);
            if (g == null) ts.add(Snapshots.ingest(t, now));
            else if (g.layer(0) == t) for (int i = 0; i < g.size(); i++) ts.add(Snapshots.ingest(g.ranked(i), now));
        }
        return new IngestStats(channelId, link.attached(), feedback.mode(), feedback.lastRembBitrate(),
                feedback.transportCcFeedbacksSent(), ts, feedback.health());
    }

    /** A snapshot of counters (allocates; call from the worker, not per packet). */
    public RouterStats stats() {
        List<TrackStats> ts = new ArrayList<>(tracks.length);
        for (PublisherTrack t : tracks) ts.add(Snapshots.track(t));
        List<ViewerStats> vs = new ArrayList<>();
        for (ViewerConsumer v : fanOut.viewers()) if (!v.pipe) vs.add(v.stats());
        return new RouterStats(channelId, link.attached(), ts, vs, fanOut.sinkCount(), drops.snapshot());
    }

    /** Detaches the publisher, closes every viewer and drops the sinks. The router cannot be used afterwards. */
    public void close() {
        if (closed) return;
        detachPublisher();
        fanOut.clear();
        stages.flush();
        closed = true;
    }

    public boolean isClosed() { return closed; }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("router " + channelId + " is closed");
    }
}
