package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.signaling.negotiation.PlaybackNegotiator;
import live.cascade.signaling.negotiation.PublishNegotiator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signaling's front door: WHIP publishes and WHEP plays against the media engine, their PATCH and DELETE, and what
 * the node reads about its broadcasts. Each concern has one owner behind it: {@link PublishFlow} and {@link PlayFlow}
 * (offer to answer, one negotiation each), {@link PatchFlow}, the {@link SessionRegistry}, the
 * {@link BroadcastLifecycle} (every broadcast from start to end) and each session's {@link SessionEvents}.
 * Public methods are called from request threads; everything that touches a broadcast runs on its media lane.
 */
public final class BroadcastService implements AutoCloseable {
    private final BroadcastSettings settings;
    private final SessionAdmission admission;
    private final SessionRegistry sessions = new SessionRegistry();
    private final Refusals refusals = new Refusals();
    private final BroadcastLifecycle broadcasts;
    private final PublishFlow publishes;
    private final PlayFlow plays;
    private final PatchFlow patches;
    private final RelayFlow relays;
    private final MediaEngine engine;

    public BroadcastService(MediaEngine engine, BroadcastSettings settings, BroadcastListener listener) {
        this(engine, settings, listener, BroadcastTapFactory.NONE);
    }

    /** @param taps makes each new broadcast's in-process tap (HLS ladder, recorder) */
    public BroadcastService(MediaEngine engine, BroadcastSettings settings, BroadcastListener listener, BroadcastTapFactory taps) {
        this(engine, settings, listener, taps, new PublishNegotiator(), new PlaybackNegotiator());
    }

    /** With the given negotiators (their random sources decide the answers' ids and a viewer's SSRCs). */
    BroadcastService(MediaEngine engine, BroadcastSettings settings, BroadcastListener listener, BroadcastTapFactory taps,
                     PublishNegotiator publishNegotiator, PlaybackNegotiator playbackNegotiator) {
        this.settings = settings;
        this.admission = new SessionAdmission(settings.admission());
        this.broadcasts = new BroadcastLifecycle(settings, listener, taps, sessions, engine);
        this.publishes = new PublishFlow(engine, publishNegotiator, admission, settings.admission(), sessions, broadcasts, refusals);
        this.plays = new PlayFlow(engine, playbackNegotiator, admission, settings.admission(), sessions, broadcasts, refusals);
        this.patches = new PatchFlow(sessions, refusals);
        this.relays = new RelayFlow(engine, admission, settings.admission(), sessions, broadcasts, refusals);
        this.engine = engine;
    }

    // ---- WHIP and WHEP ----

    public PublishResult publish(ChannelRef channel, String offerSdp) {
        return publishes.publish(channel, offerSdp);
    }

    /** A viewer from an address of its own (embedded uses and tests); {@link #play(ChannelRef, String, String)} caps per address. */
    public PlayResult play(ChannelRef channel, String offerSdp) {
        return play(channel, offerSdp, "unknown:" + SessionRegistry.newId());
    }

    /**
     * A WHEP play from {@code clientAddress} (the key per-address caps count by: the client's IP, or its /64 for IPv6).
     */
    public PlayResult play(ChannelRef channel, String offerSdp, String clientAddress) {
        return plays.play(channel, offerSdp, clientAddress, SessionKind.VIEWER);
    }

    /**
     * A WHEP play by another node that relays the channel to its own viewers (the HTTP layer has checked its relay
     * credential): forwarded to like a viewer, listed as {@link SessionKind#RELAY}, not counted as a viewer.
     */
    public PlayResult playRelay(ChannelRef channel, String offerSdp, String clientAddress) {
        return plays.play(channel, offerSdp, clientAddress, SessionKind.RELAY);
    }

    // ---- relays from another node ----

    /** Our certificate's fingerprint, for a relay offer ({@link live.cascade.signaling.negotiation.RelayOffer}). */
    public live.cascade.sfu.params.DtlsFingerprint certificateFingerprint() {
        return engine.certificateFingerprint();
    }

    /**
     * Makes the origin's answer to our relay offer this node's publisher of {@code channel}: the relay's transport
     * checks the origin's candidates with {@code localIce} (the offer's credentials) and closes when the origin stops
     * answering for {@code consentTimeout}. From a thread that is not a media lane's.
     */
    public RelayPublishResult publishRelay(ChannelRef channel, live.cascade.sfu.params.IceParameters localIce, String answerSdp,
                                           java.time.Duration consentTimeout) {
        return relays.pull(channel, localIce, answerSdp, consentTimeout);
    }

    /** The open sessions of a channel on this node (publisher, viewers, relays), for the session list. */
    public List<SessionInfo> sessions(long channelId) {
        return sessions.ofChannel(channelId);
    }

    /**
     * A publisher that is not a WebRTC peer (RTMP, SRT ingest) with these tracks (their SSRCs are the ones its RTP
     * will carry): admitted like a WHIP publish and attached to the channel's broadcast. From a thread that is not a
     * media lane's; {@code onClosed} runs on the lane when the session ends, however it ends.
     */
    public LocalPublishResult publishLocal(ChannelRef channel, java.util.List<live.cascade.sfu.params.TrackParameters> tracks,
                                           Runnable onClosed) {
        return publishes.publishLocal(channel, tracks, java.util.List.of(), onClosed);
    }

    /**
     * As {@link #publishLocal(ChannelRef, java.util.List, Runnable)}, with tracks the publisher hands the broadcast's
     * tap directly ({@link LocalPublisher#directVideo}) and the router never carries: video WebRTC viewers are not sent
     * (RTMP/SRT HEVC), for HLS and the recording. A WHEP offer for video is then refused with a sentence saying so
     * (players fall back to HLS); an audio-only offer plays the router's audio.
     */
    public LocalPublishResult publishLocal(ChannelRef channel, java.util.List<live.cascade.sfu.params.TrackParameters> tracks,
                                           java.util.List<live.cascade.sfu.params.TrackParameters> directTracks, Runnable onClosed) {
        return publishes.publishLocal(channel, tracks, directTracks, onClosed);
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
        return patches.patch(sessionId, ifMatch, fragmentText);
    }

    /** Ends a session (WHIP or WHEP DELETE). A publisher's channel then waits out the grace period. */
    public boolean delete(String sessionId) {
        MediaSession s = sessions.remove(sessionId);
        if (s == null) return false;
        s.transport.close();
        return true;
    }

    // ---- simulcast ----

    /**
     * A WHEP viewer's layer request: pins the layer {@code rid} of the simulcast section {@code mediaId} (its mid;
     * null for the only one), or with a null {@code rid} returns to the automatic choice. Applied on the broadcast's
     * lane at the layer's next keyframe; remembered for a viewer whose transport is not up yet.
     */
    public LayerChoice selectLayer(String sessionId, String mediaId, String rid) {
        return selectLayer(sessionId, mediaId, rid, 0);
    }

    /**
     * As {@link #selectLayer(String, String, String)}, and caps the automatic choice at layers at most
     * {@code maxHeight} pixels tall (0: no cap; a cap below every layer leaves the smallest).
     */
    public LayerChoice selectLayer(String sessionId, String mediaId, String rid, int maxHeight) {
        MediaSession s = sessions.get(sessionId);
        if (s == null || s.kind != SessionKind.VIEWER) return new LayerChoice.NoSession();
        Broadcast b = broadcasts.find(s.channel.id());
        if (b == null) return new LayerChoice.NoSession();
        if (mediaId != null && !mediaId.equals(videoMid(s))) {
            return new LayerChoice.NotSimulcast("media id '" + mediaId + "' is not this session's video"
                    + (videoMid(s) == null ? "; it has none" : " ('" + videoMid(s) + "')"));
        }
        List<String> layers = b.tracks.stream().filter(live.cascade.sfu.params.TrackParameters::isLayer)
                .map(live.cascade.sfu.params.TrackParameters::rid).toList();
        if (layers.isEmpty()) {
            return new LayerChoice.NotSimulcast("this stream is not sent in simulcast, so it has a single layer");
        }
        if (rid != null && !layers.contains(rid)) return new LayerChoice.UnknownLayer(rid, layers);
        // On the viewer's lane (simulcast broadcasts keep their viewers on theirs, but the session says where).
        (s.lane != null ? s.lane : b.lane).call(() -> {
            s.pinnedLayer = rid;
            s.maxHeight = Math.max(0, maxHeight);
            if (s.viewer != null && !s.viewer.isClosed()) {
                s.viewer.maxHeight(s.maxHeight);
                s.viewer.pinLayer(rid);
            }
            return null;
        });
        return new LayerChoice.Applied(rid);
    }

    /**
     * Whether the client of publishing session {@code sessionId} stops the simulcast layers nobody consumes when told
     * (the web studio, over its WHIP session's event stream): on, the channel's router offers paused layers to
     * viewers' layer choice at their last bitrate, so choosing one brings it back. False when the session is not its
     * channel's current publisher.
     */
    public boolean publisherPausesLayers(String sessionId, boolean on) {
        MediaSession s = sessions.get(sessionId);
        Broadcast b = s == null || s.kind != SessionKind.PUBLISHER ? null : broadcasts.find(s.channel.id());
        if (b == null) return false;
        return Boolean.TRUE.equals(b.lane.call(() -> {
            if (b.ended || b.publisher != s) return false;
            b.router.publisherPausesLayers(on);
            return true;
        }));
    }

    /**
     * The simulcast layers (rids) of publishing session {@code sessionId} that nobody on this node has consumed for a
     * while, which its client may stop encoding; empty when the session is not its channel's current publisher.
     */
    public Optional<List<String>> pausedLayers(String sessionId) {
        MediaSession s = sessions.get(sessionId);
        Broadcast b = s == null || s.kind != SessionKind.PUBLISHER ? null : broadcasts.find(s.channel.id());
        if (b == null) return Optional.empty();
        return Optional.ofNullable(b.lane.call(() -> b.ended || b.publisher != s ? null : b.router.pausedLayers()));
    }

    /** The mid of a WHEP session's video section (what the WHEP extensions call its media id), if it has one. */
    public Optional<String> videoMid(String sessionId) {
        MediaSession s = sessions.get(sessionId);
        return s == null ? Optional.empty() : Optional.ofNullable(videoMid(s));
    }

    private static String videoMid(MediaSession s) {
        return s.tracks.stream().filter(t -> t.kind() == live.cascade.sfu.params.MediaKind.VIDEO)
                .map(live.cascade.sfu.params.TrackParameters::mid).findFirst().orElse(null);
    }

    // ---- broadcasts ----

    /** Ends a channel's broadcast now, disconnecting its publisher and viewers (the owner's "stop stream"). */
    public boolean stop(long channelId) {
        return broadcasts.stop(channelId);
    }

    public Optional<BroadcastState> state(long channelId) {
        Broadcast b = broadcasts.find(channelId);
        return b == null ? Optional.empty() : Optional.of(b.state());
    }

    /**
     * How the channel's publisher's media arrives (bitrate, frame rate, keyframe interval, loss, jitter, codec,
     * resolution per track), read on the broadcast's lane; empty when the channel is not broadcasting here.
     */
    public Optional<IngestStats> ingestStats(long channelId) {
        Broadcast b = broadcasts.find(channelId);
        if (b == null) return Optional.empty();
        return Optional.ofNullable(b.lane.call(() -> b.ended ? null : b.router.ingestStats()));
    }

    /**
     * The channel's router counters (tracks, viewers, drops), read on its lane; empty when not broadcasting here.
     * With viewers spread over workers, the viewers of the relay routers on the other lanes are added (each read on
     * its lane); tracks and drops are the channel router's.
     */
    public Optional<RouterStats> routerStats(long channelId) {
        Broadcast b = broadcasts.find(channelId);
        if (b == null) return Optional.empty();
        RouterStats home = b.lane.call(() -> b.ended ? null : b.router.stats());
        if (home == null || b.spread == null) return Optional.ofNullable(home);
        List<live.cascade.sfu.routing.ViewerStats> viewers = b.spread.relayViewerStats();
        if (viewers.isEmpty()) return Optional.of(home);
        viewers.addAll(0, home.viewers());
        return Optional.of(new RouterStats(home.channelId(), home.publisherAttached(), home.tracks(), viewers, home.sinks(),
                home.drops()));
    }

    public List<BroadcastState> states() {
        List<BroadcastState> out = new ArrayList<>();
        for (Broadcast b : broadcasts.all()) out.add(b.state());
        return out;
    }

    // ---- counts ----

    public int sessionCount() {
        return sessions.size();
    }

    /** The selected path of every open session that has one (for the sessions-by-path metric). */
    public List<SelectedPath> selectedPaths() {
        return sessions.selectedPaths();
    }

    /** How many requests were refused for {@code reason} since start. */
    public long refusals(Refusal.Reason reason) {
        return refusals.count(reason);
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

    /** Ends every broadcast (each on its lane), which closes their sessions' transports. The engine is the caller's. */
    @Override
    public void close() {
        broadcasts.closeAll();
    }
}
