package live.cascade.api.media;

import live.cascade.api.config.AdmissionConfig;
import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.SwappableTls;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import live.cascade.signaling.session.AdmissionLimits;
import live.cascade.signaling.session.Refusal;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.hls.HlsTapFactory;
import live.cascade.api.hls.ViewerCounts;
import live.cascade.api.recordings.RecordingCatalog;
import live.cascade.api.recordings.RecordingFiles;
import live.cascade.hls.HlsSettings;
import live.cascade.hls.MediaTaps;
import live.cascade.db.Database;
import live.cascade.sfu.engine.HostAddresses;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastSettings;
import live.cascade.api.ice.IceServerDirectory;
import live.cascade.api.ice.SessionPaths;
import live.cascade.api.recordings.RecordingEvents;
import live.cascade.whipwhep.PublishAdmission;
import live.cascade.api.ice.TurnCredentials;
import live.cascade.whipwhep.WhipWhepResource;
import live.cascade.api.media.relay.OriginRelays;
import live.cascade.api.media.relay.RelayAuthority;
import live.cascade.api.media.relay.RelayTokens;
import live.cascade.whipwhep.WhipWhepSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The media side of a node: UDP workers, the broadcasts on them, their records, and the WHIP/WHEP endpoints. */
public final class MediaPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaPlane.class);
    /** How long a WHEP slug lookup is reused (see {@link CachedChannelDirectory}). */
    private static final Duration WHEP_LOOKUP_TTL = Duration.ofSeconds(1);
    private static final Duration WHEP_LOOKUP_STALE_LIMIT = Duration.ofSeconds(30);

    private final MediaEngine engine;
    private final BroadcastService broadcasts;
    private final BroadcastRecorder recorder;
    private final BroadcastEvents events;
    private final WhipWhepResource resource;
    private OriginRelays relays;
    private final MediaTaps taps;
    private final ViewerCounts viewerCounts;
    /** Runs the WHEP channel lookups' background refreshes; closed before the database is. */
    private final ExecutorService lookupRefresher;
    /** The RTMP listener and its publishers ({@link RtmpIngest#OFF} when --rtmp-port is off). */
    private final RtmpIngest rtmp;
    private final IceServerDirectory iceServers;
    private final List<String> turnUrls;
    private final SessionPaths sessionPaths;
    private final RecordingEvents recordingEvents;
    private final PublishAdmission admission;
    /** The source of the packet counters in /metrics; held here because Micrometer only holds it weakly. */
    private volatile MediaMetrics metrics;

    private MediaPlane(MediaEngine engine, BroadcastService broadcasts, BroadcastRecorder recorder, BroadcastEvents events,
                       WhipWhepResource resource, MediaTaps taps, ViewerCounts viewerCounts, ExecutorService lookupRefresher,
                       RtmpIngest rtmp, IceServerDirectory iceServers, List<String> turnUrls, RecordingEvents recordingEvents,
                       PublishAdmission admission) {
        this.admission = admission;
        this.recordingEvents = recordingEvents;
        this.rtmp = rtmp;
        this.lookupRefresher = lookupRefresher;
        this.turnUrls = List.copyOf(turnUrls);
        this.sessionPaths = new SessionPaths(SessionPaths.relayAddresses(this.turnUrls), broadcasts::selectedPaths);
        this.iceServers = iceServers;
        this.taps = taps;
        this.viewerCounts = viewerCounts;
        this.engine = engine;
        this.broadcasts = broadcasts;
        this.recorder = recorder;
        this.events = events;
        this.resource = resource;
    }

    /**
     * @param writes   the node's queue of writes that survive a database outage (broadcast and viewer records, recordings)
     * @param refusals counts WHIP/WHEP admission refusals in {@code cascade_refusals_total}
     * @param origins  where WHEP viewers of a channel live on another node are served from
     * @param tls      the node's certificate from {@code --tls-cert}, for RTMPS (which follows its SIGHUP reloads)
     */
    public static MediaPlane start(CascadeConfig config, Database db, DatabaseWriteQueue writes, Clock clock, Refusals refusals,
                                   String nodeSecret, String nodeId, live.cascade.whipwhep.ViewerGate viewerGate,
                                   live.cascade.whipwhep.RemoteOrigins origins, Optional<SwappableTls> tls) {
        InetAddress bind = literal(config.mediaHost());
        InetAddress publicIp = config.publicIp().map(MediaPlane::literal).orElse(null);
        List<InetAddress> advertised = HostAddresses.select(HostAddresses.systemInterfaces(), publicIp, config.iceInterfaces(), bind);
        if (advertised.isEmpty()) {
            // A machine with nothing but loopback (or an allow-list that matched nothing) can still serve itself.
            LOG.warn("no usable interface address for ICE candidates (check --ice-interfaces); advertising 127.0.0.1 only");
            advertised = List.of(InetAddress.getLoopbackAddress());
        }
        MediaEngine engine = MediaEngine.start(MediaEngineConfig.defaults()
                .withBindAddress(bind)
                .withBasePort(config.mediaPort())
                .withWorkerCount(config.mediaWorkers())
                .withAdvertisedAddresses(advertised)
                .withSrtpProfiles(config.srtpProfiles())
                .withSessionSetupTimeout(config.admission().sessionSetupTimeout())
                .withIceTcpBasePort(config.reach().iceTcp() ? config.reach().iceTcpPort() : MediaEngineConfig.ICE_TCP_OFF));
        // A previous run of a single node cannot have left a broadcast running.
        if (config.embeddedDatabase()) {
            int stale = db.streamSessions().endAllOpen(clock.instant());
            if (stale > 0) LOG.info("ended {} broadcast(s) left open by the previous run", stale);
        }
        BroadcastRecorder recorder = new BroadcastRecorder(db, writes, clock);
        RecordingEvents recordingEvents = new RecordingEvents();
        // Nodes sharing a database end the broadcasts of a node that died (on the embedded database, the node's
        // own previous run was ended above).
        recorder.startHeartbeat();
        // HLS viewers count too: the recorder hears WHEP + HLS totals.
        ViewerCounts viewerCounts = new ViewerCounts(recorder);
        BroadcastEvents events = new BroadcastEvents(viewerCounts);
        MediaTaps taps = new MediaTaps(hlsSettings(config), lowLatency(config), new RecordingCatalog(db, new RecordingFiles(config.dataDir()), writes, recordingEvents), clock);
        BroadcastService broadcasts = new BroadcastService(engine,
                new BroadcastSettings(config.publisherGrace(), admissionLimits(config), BroadcastSettings.DEFAULTS.tickInterval(),
                        BroadcastSettings.DEFAULTS.router().withViewerBwe(config.viewerBwe()), config.spreadViewers()), events,
                new HlsTapFactory(taps));
        IceServerDirectory iceServers = new IceServerDirectory(config.iceServers(), config.reach().turnUrls(),
                config.reach().turnSecret().map(s -> new TurnCredentials(s, config.reach().turnCredentialTtl(), clock)));
        ExecutorService lookupRefresher = Executors.newVirtualThreadPerTaskExecutor();
        CachedChannelDirectory directory = new CachedChannelDirectory(new DbChannelDirectory(db, config.mail().enabled()), clock, WHEP_LOOKUP_TTL,
                WHEP_LOOKUP_STALE_LIMIT, lookupRefresher);
        BroadcastsPerAccount quota = new BroadcastsPerAccount(db, config.admission().broadcastsPerAccount(), refusals);
        PublishAdmission admission = AdmissionHook.of(config.operations(), clock);
        RelayTokens relayTokens = RelayTokens.fromSecret(nodeSecret, clock);
        OriginRelays relays = new OriginRelays(broadcasts, relayTokens, nodeId, config.relay().linger());
        // A relayed channel's go-live, end and viewer count are the origin's to record, not this node's.
        events.skipLifecycleOf(relays::relayed);
        WhipWhepResource resource = new WhipWhepResource(broadcasts, directory,
                new WhipWhepSettings(iceServers::linkServers, 5, 10, (int) config.admission().sessionSetupTimeout().toSeconds() + 1),
                ctx -> ClientAddress.limitKey(ClientAddress.of(ctx)), reason -> countRefusal(refusals, reason), quota, viewerGate,
                admission, new RelayAuthority(relayTokens, nodeId), origins);
        RtmpIngest rtmp;
        try {
            rtmp = RtmpIngest.start(config.ingest(), broadcasts, new StreamKeyGate(directory, quota, admission),
                    config.ingest().rtmpsEnabled() ? tls.orElse(null) : null);
        } catch (RuntimeException e) {
            relays.close();
            broadcasts.close();
            engine.close();
            taps.close();
            lookupRefresher.close();
            recorder.close();
            throw e;
        }
        LOG.info("media on UDP {}:{}-{} ({} worker(s)), ICE-TCP {}, candidates {}", config.mediaHost(), config.mediaPort(),
                config.mediaPort() + config.mediaWorkers() - 1, config.mediaWorkers(),
                config.reach().iceTcp() ? "on TCP " + engine.iceTcpPorts() : "off",
                advertised);
        MediaPlane plane = new MediaPlane(engine, broadcasts, recorder, events, resource, taps, viewerCounts, lookupRefresher, rtmp,
                iceServers, config.reach().turn() ? config.reach().turnUrls() : List.of(), recordingEvents, admission);
        plane.relays = relays;
        return plane;
    }

    private static AdmissionLimits admissionLimits(CascadeConfig config) {
        AdmissionConfig a = config.admission();
        return AdmissionLimits.split(config.maxSessions(), a.publisherReserve(), a.whepPendingPerIp(), a.whepPendingPerChannel());
    }

    /** The admission refusals go into the node's one refusal counter; the others are input errors, counted by signaling. */
    private static void countRefusal(Refusals refusals, Refusal.Reason reason) {
        switch (reason) {
            case PUBLISHER_SHARE_FULL -> refusals.count(RefusalReason.PUBLISHER_SHARE_FULL);
            case VIEWER_SHARE_FULL -> refusals.count(RefusalReason.VIEWER_SHARE_FULL);
            case PENDING_VIEWERS_PER_ADDRESS -> refusals.count(RefusalReason.WHEP_PENDING_PER_IP);
            case PENDING_VIEWERS_PER_CHANNEL -> refusals.count(RefusalReason.WHEP_PENDING_PER_CHANNEL);
            default -> { }
        }
    }

    /** The taps' settings from the node's configuration (package-private for its test). */
    static HlsSettings hlsSettings(CascadeConfig config) {
        var out = config.mediaOutput();
        HlsSettings s = HlsSettings.defaults(config.dataDir()).withEncoder(out.encoder()).withEnabled(out.hlsEnabled(), out.recordings())
                .withJumpThreshold(out.timestampJumpThreshold()).withSimulcastCopy(out.simulcastCopy())
                .withSourceVideo(out.sourceVideo());
        return out.hlsEnabled() ? s.withLadder(out.ladder()) : s;
    }

    /** Low-latency HLS parts, or null when they are off. */
    private static live.cascade.hls.llhls.LowLatencySettings lowLatency(CascadeConfig config) {
        var out = config.mediaOutput();
        return out.lowLatencyEnabled() ? new live.cascade.hls.llhls.LowLatencySettings(out.partTarget()) : null;
    }

    /** The HLS/recording taps of this node's broadcasts. */
    public MediaTaps taps() {
        return taps;
    }

    /** WHEP + HLS viewer counts per channel (HLS viewers report here). */
    public ViewerCounts viewerCounts() {
        return viewerCounts;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }

    /** This node's relays from other nodes (acquire/release per channel). */
    public OriginRelays relays() {
        return relays;
    }

    public BroadcastService broadcasts() {
        return broadcasts;
    }

    /** Where listeners of recordings and clips becoming playable are added while the node starts. */
    public RecordingEvents recordingEvents() {
        return recordingEvents;
    }

    /** The sessions by network path, which the web player's reports of its relay transport refine. */
    public SessionPaths sessionPaths() {
        return sessionPaths;
    }

    /** The ICE servers (STUN, TURN with minted credentials) clients are offered. */
    public IceServerDirectory iceServers() {
        return iceServers;
    }

    public WhipWhepResource resource() {
        return resource;
    }

    public MediaEngine engine() {
        return engine;
    }

    /**
     * Publishes the engine's packet counters and the signaling refusals in {@code registry}. The counters' source lives
     * as long as this plane (Micrometer keeps only a weak reference to it).
     */
    public void bindMetrics(MeterRegistry registry) {
        metrics = MediaMetrics.bind(engine, registry);
        MediaMetrics.bindRefusals(broadcasts, registry);
        MediaMetrics.bindSessions(broadcasts, registry);
        MediaMetrics.bindHandshakes(engine.handshakeSlots(), registry);
        ForwardDelayMetrics.bind(engine::forwardDelays, registry);
        sessionPaths.bind(registry);
        if (admission instanceof AdmissionHook hook) hook.bind(registry);
        rtmp.bindMetrics(registry);
    }

    /** RTMP ingest: its port, counters and each channel's publish status. */
    public RtmpIngest rtmp() {
        return rtmp;
    }

    /** Where more listeners of broadcast events (start, end, viewers) are added while the node starts. */
    public BroadcastEvents events() {
        return events;
    }

    /**
     * Broadcasts end (their records are queued), the UDP workers stop, recordings are finished (their rows queued); the
     * node's write queue, closed next, writes what is queued.
     */
    @Override
    public void close() {
        rtmp.close(); // no new RTMP publishes; the broadcasts' ends below close the running ones
        relays.close();
        broadcasts.close();
        engine.close();
        taps.close(); // ended broadcasts' recordings are finished and registered before the database closes
        lookupRefresher.close(); // waits for a refresh under way, which reads the database
        recorder.close();
    }
}
