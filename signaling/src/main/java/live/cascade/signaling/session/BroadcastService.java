package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.ice.IceCredentials;
import live.cascade.sfu.net.CloseReason;
import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.net.PeerTransport;
import live.cascade.sfu.net.TransportListener;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.signaling.negotiation.NegotiationFailure;
import live.cascade.signaling.negotiation.PlaybackAnswer;
import live.cascade.signaling.negotiation.PlaybackNegotiation;
import live.cascade.signaling.negotiation.PlaybackNegotiator;
import live.cascade.signaling.negotiation.PublishAnswer;
import live.cascade.signaling.negotiation.PublishNegotiation;
import live.cascade.signaling.negotiation.PublishNegotiator;
import live.cascade.signaling.negotiation.ServerTransport;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.trickle.IceRestartDetector;
import live.cascade.signaling.trickle.TrickleFragment;
import live.cascade.signaling.trickle.TricklePatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs WHIP publishes and WHEP plays against the media engine: one {@link Broadcast} per channel, its router on the
 * channel's media worker, the publisher's grace period, and the events the node records. Public methods are called
 * from request threads; everything that touches a broadcast runs on its worker.
 */
public final class BroadcastService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MediaEngine engine;
    private final BroadcastSettings settings;
    private final BroadcastListener listener;
    private final BroadcastTapFactory taps;
    private final PublishNegotiator publishNegotiator = new PublishNegotiator();
    private final PlaybackNegotiator playbackNegotiator = new PlaybackNegotiator();
    private final ConcurrentHashMap<String, MediaSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Broadcast> broadcasts = new ConcurrentHashMap<>();
    private final SessionAdmission admission;
    private final java.util.EnumMap<Refusal.Reason, java.util.concurrent.atomic.LongAdder> refusals = new java.util.EnumMap<>(Refusal.Reason.class);

    {
        for (Refusal.Reason r : Refusal.Reason.values()) refusals.put(r, new java.util.concurrent.atomic.LongAdder());
    }

    public BroadcastService(MediaEngine engine, BroadcastSettings settings, BroadcastListener listener) {
        this(engine, settings, listener, BroadcastTapFactory.NONE);
    }

    /** @param taps makes each new broadcast's in-process tap (HLS ladder, recorder) */
    public BroadcastService(MediaEngine engine, BroadcastSettings settings, BroadcastListener listener, BroadcastTapFactory taps) {
        this.engine = engine;
        this.settings = settings;
        this.listener = listener;
        this.taps = taps;
        this.admission = new SessionAdmission(settings.admission());
    }

    // ---- WHIP ----

    public PublishResult publish(ChannelRef channel, String offerSdp) {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(offerSdp);
        } catch (SdpParseException e) {
            return refuse(Refusal.Reason.MALFORMED, "The SDP offer does not parse: " + e.getMessage());
        }
        MediaWorker worker = engine.workerFor(Long.toString(channel.id()));
        // Negotiate once to validate the offer and learn the transport parameters, create the transport, then
        // negotiate again with the transport's own ICE credentials for the answer.
        PublishNegotiation probe = publishNegotiator.negotiate(offer, probeTransport(worker));
        if (probe instanceof NegotiationFailure f) return refuse(Refusal.Reason.UNPROCESSABLE, f.detail());
        PublishAnswer validated = (PublishAnswer) probe;
        SessionAdmission.Ticket ticket;
        switch (admission.admitPublisher()) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return refuse(d.reason(), "This node carries its limit of " + settings.admission().publisherShare()
                        + " publishers at once; try again shortly, or publish to another node.");
            }
        }
        String id = newId();
        SessionEvents events = new SessionEvents(id, ticket);
        PeerTransport transport = createTransport(validated.transport(), worker, events, ticket);
        PublishAnswer answer = (PublishAnswer) publishNegotiator.negotiate(offer,
                new ServerTransport(transport.localIce(), engine.certificateFingerprint(), transport.localCandidates()));
        MediaSection first = answer.answer().media().getFirst();
        MediaSession session = new MediaSession(id, SessionKind.PUBLISHER, channel, answer.tracks(), first.media(),
                first.mid().orElse("0"), newEtag());
        session.transport = transport;
        events.session = session;
        sessions.put(id, session);
        worker.call(() -> {
            attachPublisher(session, worker);
            return null;
        });
        LOG.info("WHIP session {} publishes channel {} ({}), our DTLS role {}", id, channel.slug(), describe(answer.tracks()),
                validated.transport().localRole());
        return new SessionCreated(id, session.etag, answer.sdp());
    }

    /** On the worker: make {@code session} the broadcast's publisher, continuing the broadcast when codecs allow. */
    private void attachPublisher(MediaSession session, MediaWorker worker) {
        Broadcast b = broadcasts.get(session.channel.id());
        if (b != null && !b.router.canContinueWith(session.tracks)) {
            LOG.info("channel {}: new publisher sends other codecs ({}); ending the broadcast so players reconnect",
                    session.channel.slug(), describe(session.tracks));
            endBroadcast(b);
            b = null;
        }
        if (b == null) {
            Router router = new Router(session.channel.slug(), session.tracks, routerListener(session.channel),
                    settings.router(), MediaClock.SYSTEM, new SplittableRandom());
            Broadcast created = new Broadcast(session.channel, worker, router, session.tracks);
            long period = settings.tickInterval().toNanos();
            created.tick = worker.scheduleAtFixedRate(() -> router.onTick(System.nanoTime()), period, period, TimeUnit.NANOSECONDS);
            broadcasts.put(session.channel.id(), created);
            openTap(created);
            b = created;
        }
        MediaSession previous = b.publisher;
        b.publisher = session;
        b.tracks = session.tracks;
        session.broadcast = b;
        if (b.grace != null) {
            b.grace.cancel(false);
            b.grace = null;
        }
        MediaReceiver receiver = b.router.attachPublisher(session.transport, session.tracks);
        session.transport.setReceiver(receiver);
        if (b.phase == BroadcastState.Phase.RECONNECTING) {
            b.phase = b.wentLive ? BroadcastState.Phase.LIVE : BroadcastState.Phase.STARTING;
            safely(() -> listener.onResumed(session.channel));
        }
        if (previous != null) {
            // A second publish while one is live replaces the first.
            LOG.info("channel {}: WHIP session {} replaces {}", session.channel.slug(), session.id, previous.id);
            previous.broadcast = null;
            previous.transport.close();
        }
    }

    /** On the worker: the broadcast's tap (if the factory makes one) becomes a sink of its router. */
    private void openTap(Broadcast b) {
        Router router = b.router;
        MediaWorker worker = b.worker;
        try {
            b.tap = taps.open(b.channel, b.tracks, () -> worker.execute(router::requestKeyframe)).orElse(null);
            if (b.tap != null) router.addSink(b.tap.sink());
        } catch (RuntimeException e) {
            LOG.error("channel {}: could not open its media tap (HLS and recording); live WebRTC continues", b.channel.slug(), e);
        }
    }

    private RouterListener routerListener(ChannelRef channel) {
        return new RouterListener() {
            @Override
            public void onFirstMedia(String routerId) {
                Broadcast b = broadcasts.get(channel.id());
                if (b == null) return;
                if (b.phase != BroadcastState.Phase.RECONNECTING) b.phase = BroadcastState.Phase.LIVE;
                if (!b.wentLive) {
                    b.wentLive = true;
                    LOG.info("channel {} is live", channel.slug());
                    safely(() -> listener.onLive(channel));
                }
            }
        };
    }

    // ---- WHEP ----

    /** A viewer from an address of its own (embedded uses and tests); {@link #play(ChannelRef, String, String)} caps per address. */
    public PlayResult play(ChannelRef channel, String offerSdp) {
        return play(channel, offerSdp, "unknown:" + newId());
    }

    /**
     * A WHEP play from {@code clientAddress} (the key per-address caps count by: the client's IP, or its /64 for IPv6).
     */
    public PlayResult play(ChannelRef channel, String offerSdp, String clientAddress) {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(offerSdp);
        } catch (SdpParseException e) {
            return refuse(Refusal.Reason.MALFORMED, "The SDP offer does not parse: " + e.getMessage());
        }
        Broadcast b = broadcasts.get(channel.id());
        if (b == null) {
            return refuse(Refusal.Reason.OFFLINE, "Channel '" + channel.slug() + "' is not live right now; try again when it is.");
        }
        // Admission before negotiation, so a refused flood costs a parse and a lookup, not an answer.
        SessionAdmission.Ticket ticket;
        switch (admission.admitViewer(clientAddress, channel.id())) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return refuse(d.reason(), viewerRefusalDetail(d.reason(), channel));
            }
        }
        List<TrackParameters> publisherTracks = b.tracks;
        PlaybackNegotiation probe = playbackNegotiator.negotiate(offer, publisherTracks, probeTransport(b.worker));
        if (probe instanceof NegotiationFailure f) {
            ticket.release();
            return refuse(Refusal.Reason.UNPROCESSABLE, f.detail());
        }
        String id = newId();
        SessionEvents events = new SessionEvents(id, ticket);
        PeerTransport transport = createTransport(((PlaybackAnswer) probe).transport(), b.worker, events, ticket);
        PlaybackAnswer answer = (PlaybackAnswer) playbackNegotiator.negotiate(offer, publisherTracks,
                new ServerTransport(transport.localIce(), engine.certificateFingerprint(), transport.localCandidates()));
        MediaSection first = answer.answer().media().getFirst();
        MediaSession session = new MediaSession(id, SessionKind.VIEWER, channel, answer.tracks(), first.media(),
                first.mid().orElse("0"), newEtag());
        session.transport = transport;
        session.broadcast = b;
        events.session = session;
        sessions.put(id, session);
        LOG.debug("WHEP session {} plays channel {}", id, channel.slug());
        return new SessionCreated(id, session.etag, answer.sdp());
    }

    /** On the worker, once the viewer's DTLS is done: start forwarding to it. */
    private void viewerSecure(MediaSession session) {
        Broadcast b = session.broadcast;
        if (b == null || b.ended || !sessions.containsKey(session.id)) {
            session.transport.close();
            return;
        }
        session.viewer = b.router.addViewer(session.transport, session.tracks);
        session.transport.setReceiver(session.viewer.rtcpInput());
        b.viewers.add(session);
        b.viewerCount = b.viewers.size();
        safely(() -> listener.onViewerJoined(session.channel, session.id));
        safely(() -> listener.onViewerCount(session.channel, b.viewerCount));
    }

    // ---- PATCH and DELETE ----

    public Optional<SessionInfo> session(String id) {
        MediaSession s = sessions.get(id);
        return s == null ? Optional.empty() : Optional.of(s.info());
    }

    /**
     * Trickle ICE (candidates: 204; we are ICE-lite, so they only need to be well-formed) or an ICE restart (new
     * credentials: 200 with our new ones, and a new entity tag).
     */
    public PatchResult patch(String sessionId, String ifMatch, String fragmentText) {
        MediaSession s = sessions.get(sessionId);
        if (s == null) return refuse(Refusal.Reason.NOT_FOUND, "No session " + sessionId + "; it ended or never existed.");
        if (ifMatch == null || ifMatch.isBlank()) {
            return refuse(Refusal.Reason.PRECONDITION_REQUIRED, "Send If-Match with the session's ETag (or \"*\" for an ICE restart).");
        }
        String match = ifMatch.strip();
        TricklePatch patch;
        try {
            patch = IceRestartDetector.classify(TrickleFragment.parse(fragmentText), s.transport.remoteIce());
        } catch (SdpParseException e) {
            return refuse(Refusal.Reason.MALFORMED, "The sdpfrag does not parse: " + e.getMessage());
        }
        boolean current = match.equals(s.etag) || match.equals("*");
        return switch (patch) {
            case TricklePatch.Candidates c -> current ? new PatchResult.Trickled()
                    : refuse(Refusal.Reason.PRECONDITION_FAILED, "If-Match " + match + " is not the session's current ETag " + s.etag + ".");
            case TricklePatch.IceRestart r -> {
                if (!current) {
                    yield refuse(Refusal.Reason.PRECONDITION_FAILED, "If-Match " + match + " is not the session's current ETag; an ICE restart uses If-Match: \"*\".");
                }
                IceParameters fresh;
                try {
                    fresh = s.transport.restartIce(r.newRemoteIce());
                } catch (IllegalStateException e) {
                    yield refuse(Refusal.Reason.NOT_FOUND, "Session " + sessionId + " has ended.");
                }
                s.etag = newEtag();
                String fragment = TrickleFragment.restartResponse(fresh, s.transport.localCandidates(), s.firstMedia, s.firstMid).write();
                yield new PatchResult.Restarted(fragment, s.etag);
            }
        };
    }

    /** Ends a session (WHIP or WHEP DELETE). A publisher's channel then waits out the grace period. */
    public boolean delete(String sessionId) {
        MediaSession s = sessions.remove(sessionId);
        if (s == null) return false;
        s.transport.close();
        return true;
    }

    /** Ends a channel's broadcast now, disconnecting its publisher and viewers (the owner's "stop stream"). */
    public boolean stop(long channelId) {
        Broadcast b = broadcasts.get(channelId);
        if (b == null) return false;
        b.worker.call(() -> {
            if (!b.ended) endBroadcast(b);
            return null;
        });
        return true;
    }

    public Optional<BroadcastState> state(long channelId) {
        Broadcast b = broadcasts.get(channelId);
        return b == null ? Optional.empty() : Optional.of(b.state());
    }

    /**
     * How the channel's publisher's media arrives (bitrate, frame rate, keyframe interval, loss, jitter, codec,
     * resolution per track), read on the broadcast's worker; empty when the channel is not broadcasting here.
     */
    public Optional<IngestStats> ingestStats(long channelId) {
        Broadcast b = broadcasts.get(channelId);
        if (b == null) return Optional.empty();
        return Optional.ofNullable(b.worker.call(() -> b.ended ? null : b.router.ingestStats()));
    }

    /** The channel's router counters (tracks, viewers, drops), read on its worker; empty when not broadcasting here. */
    public Optional<RouterStats> routerStats(long channelId) {
        Broadcast b = broadcasts.get(channelId);
        if (b == null) return Optional.empty();
        return Optional.ofNullable(b.worker.call(() -> b.ended ? null : b.router.stats()));
    }

    public List<BroadcastState> states() {
        List<BroadcastState> out = new ArrayList<>();
        for (Broadcast b : broadcasts.values()) out.add(b.state());
        return out;
    }

    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public void close() {
        for (Broadcast b : broadcasts.values()) {
            try {
                b.worker.call(() -> {
                    if (!b.ended) endBroadcast(b);
                    return null;
                });
            } catch (IllegalStateException e) {
                LOG.debug("worker of channel {} already stopped", b.channel.slug());
            }
        }
    }

    // ---- transport events (worker thread) ----

    /**
     * A transport's events, tied to its session by reference: a DELETE removes the session from the index before the
     * transport's close event arrives, and that event must still find it.
     */
    private final class SessionEvents implements TransportListener {
        private final String sessionId;
        /** The session's slot: no longer pending once secure, free once closed. */
        private final SessionAdmission.Ticket ticket;
        volatile MediaSession session;

        SessionEvents(String sessionId, SessionAdmission.Ticket ticket) {
            this.sessionId = sessionId;
            this.ticket = ticket;
        }

        private MediaSession session() {
            MediaSession s = session;
            return s != null ? s : sessions.get(sessionId);
        }

        @Override
        public void onConnected(PeerTransport transport, InetSocketAddress remote) {
            LOG.debug("session {}: ICE selected {}", sessionId, remote);
        }

        @Override
        public void onSecure(PeerTransport transport) {
            ticket.secured();
            MediaSession s = session();
            if (s == null) {
                transport.close();
                return;
            }
            LOG.debug("session {}: DTLS done ({})", sessionId, transport.srtpProfile());
            if (s.kind == SessionKind.VIEWER) viewerSecure(s);
        }

        @Override
        public void onClosed(PeerTransport transport, CloseReason reason) {
            ticket.release();
            MediaSession s = session();
            sessions.remove(sessionId);
            if (s == null) return;
            if (reason != CloseReason.DELETED) LOG.info("session {} ({} of {}) closed: {}", sessionId, s.kind, s.channel.slug(), reason);
            if (s.kind == SessionKind.PUBLISHER) publisherGone(s, reason);
            else viewerGone(s);
        }
    }

    private void publisherGone(MediaSession s, CloseReason reason) {
        Broadcast b = s.broadcast;
        if (b == null || b.ended || b.publisher != s) return;
        b.publisher = null;
        b.router.detachPublisher();
        if (reason == CloseReason.ENGINE_CLOSED) {
            endBroadcast(b);
            return;
        }
        b.phase = BroadcastState.Phase.RECONNECTING;
        LOG.info("channel {}: publisher gone ({}); waiting {} s for it to return", b.channel.slug(), reason,
                settings.publisherGrace().toSeconds());
        safely(() -> listener.onReconnecting(b.channel));
        b.grace = b.worker.schedule(() -> {
            if (!b.ended && b.publisher == null) {
                LOG.info("channel {}: publisher did not return; broadcast ends", b.channel.slug());
                endBroadcast(b);
            }
        }, settings.publisherGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void viewerGone(MediaSession s) {
        if (s.viewer != null) s.viewer.close();
        Broadcast b = s.broadcast;
        if (b != null && b.viewers.remove(s)) {
            b.viewerCount = b.viewers.size();
            safely(() -> listener.onViewerLeft(s.channel, s.id));
            safely(() -> listener.onViewerCount(s.channel, b.viewerCount));
        }
    }

    /** On the worker: tear the broadcast down; viewers' transports close so their players reconnect. */
    private void endBroadcast(Broadcast b) {
        b.ended = true;
        broadcasts.remove(b.channel.id(), b);
        if (b.tick != null) b.tick.cancel(false);
        if (b.grace != null) b.grace.cancel(false);
        MediaSession publisher = b.publisher;
        b.publisher = null;
        if (publisher != null) {
            sessions.remove(publisher.id);
            publisher.transport.close();
        }
        for (MediaSession viewer : List.copyOf(b.viewers)) {
            sessions.remove(viewer.id);
            viewer.transport.close();
            if (viewer.viewer != null) viewer.viewer.close();
            safely(() -> listener.onViewerLeft(viewer.channel, viewer.id));
        }
        // Viewers negotiated but not yet secure belong to this broadcast too.
        sessions.values().removeIf(s -> {
            if (s.broadcast == b && s.kind == SessionKind.VIEWER) {
                s.transport.close();
                return true;
            }
            return false;
        });
        b.viewers.clear();
        b.viewerCount = 0;
        b.router.close();
        if (b.tap != null) safely(b.tap::close);
        if (b.wentLive) safely(() -> listener.onEnded(b.channel));
    }

    // ---- helpers ----

    private ServerTransport probeTransport(MediaWorker worker) {
        return new ServerTransport(IceCredentials.random(), engine.certificateFingerprint(), worker.candidates());
    }

    /** Every refusal is counted by reason, so malformed SDP and sdpfrag bodies show in /metrics like dropped packets. */
    private Refusal refuse(Refusal.Reason reason, String detail) {
        refusals.get(reason).increment();
        return new Refusal(reason, detail);
    }

    /** How many requests were refused for {@code reason} since start. */
    public long refusals(Refusal.Reason reason) {
        return refusals.get(reason).sum();
    }

    private String viewerRefusalDetail(Refusal.Reason reason, ChannelRef channel) {
        AdmissionLimits limits = settings.admission();
        return switch (reason) {
            case VIEWER_SHARE_FULL -> "This node is serving its limit of " + limits.viewerShare() + " viewers; try again in a few seconds.";
            case PENDING_VIEWERS_PER_ADDRESS -> "Your address already has " + limits.pendingViewersPerAddress()
                    + " WHEP sessions that have not finished connecting (ICE and DTLS); connect or DELETE those first, or wait for them to expire.";
            case PENDING_VIEWERS_PER_CHANNEL -> "Channel '" + channel.slug() + "' has " + limits.pendingViewersPerChannel()
                    + " viewers connecting right now; try again in a few seconds.";
            default -> "This node cannot take another viewer now; try again in a few seconds.";
        };
    }

    /** Creates the session's transport; a failure frees its slot at once. */
    private PeerTransport createTransport(live.cascade.sfu.params.TransportParameters parameters, MediaWorker worker,
                                          SessionEvents events, SessionAdmission.Ticket ticket) {
        try {
            return engine.createTransport(parameters, worker, events);
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
    }

    /** WHIP sessions open now (connected or still setting up). */
    public int publisherSessions() {
        return admission.publishers();
    }

    /** WHEP sessions open now (connected or still setting up). */
    public int viewerSessions() {
        return admission.viewers();
    }

    public AdmissionLimits admissionLimits() {
        return settings.admission();
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String newEtag() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\"";
    }

    private static String describe(List<TrackParameters> tracks) {
        StringBuilder sb = new StringBuilder();
        for (TrackParameters t : tracks) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(t.kind().name().toLowerCase()).append(' ').append(t.codec().name());
        }
        return sb.toString();
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("broadcast listener failed", e);
        }
    }
}
