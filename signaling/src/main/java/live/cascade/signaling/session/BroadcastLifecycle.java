package live.cascade.signaling.session;

import live.cascade.sfu.engine.HostedRouter;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.spread.ChannelSpread;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.MediaReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns every {@link Broadcast} of the node, from its first publisher to its end: starting one (its hosted router and
 * tap), a publisher attaching, replacing another or returning within the grace period, viewers joining and leaving,
 * and the end (grace over, stopped, replaced by other codecs, node closing), which closes the publisher's and viewers'
 * transports, the router and the tap. Everything that changes a broadcast runs on its lane's thread; the lookups here
 * are for request threads.
 */
final class BroadcastLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastLifecycle.class);

    private final BroadcastSettings settings;
    private final BroadcastListener listener;
    private final BroadcastTapFactory taps;
    private final SessionRegistry sessions;
    private final MediaEngine engine;
    private final ConcurrentHashMap<Long, Broadcast> broadcasts = new ConcurrentHashMap<>();

    BroadcastLifecycle(BroadcastSettings settings, BroadcastListener listener, BroadcastTapFactory taps, SessionRegistry sessions,
                       MediaEngine engine) {
        this.settings = settings;
        this.engine = engine;
        this.listener = new GuardedListener(listener);
        this.taps = taps;
        this.sessions = sessions;
    }

    /** The key the media engine places a channel's lane by ({@link MediaEngine#lane}). */
    static String placementKey(ChannelRef channel) { return Long.toString(channel.id()); }

    /** The channel's broadcast, or null when it is not broadcasting here. */
    Broadcast find(long channelId) { return broadcasts.get(channelId); }

    /**
     * The lane a new publisher of {@code channel} runs on: a broadcast still running (a publisher returning within its
     * grace period, or a relay replacing one) keeps its lane; a new one is placed on the least-loaded lane, released
     * when the broadcast ends.
     */
    MediaLane publisherLane(Broadcast running, ChannelRef channel) {
        return running != null ? running.lane : engine.lane(placementKey(channel));
    }

    List<Broadcast> all() { return new ArrayList<>(broadcasts.values()); }

    /**
     * Request thread: the lane a new WHEP session of {@code b} opens its transport on, counted there until
     * {@link #viewerGone}. A viewer of a spread broadcast goes to the lane with the fewest viewers; relays to other
     * nodes and viewers of broadcasts that do not spread go to the broadcast's lane.
     */
    MediaLane viewerLane(Broadcast b, SessionKind kind) {
        if (b.spread == null || kind != SessionKind.VIEWER) return engine.countViewer(b.lane);
        return engine.placeViewer();
    }

    /** Request thread: a viewer's transport could not be opened on the lane {@link #viewerLane} gave it. */
    void viewerLaneUnused(MediaLane lane) { engine.releaseViewer(lane); }

    // ---- publisher (lane thread) ----

    /** Makes {@code session} the broadcast's publisher, continuing the broadcast when codecs allow. */
    void attachPublisher(MediaSession session, MediaLane lane) {
        Broadcast b = broadcasts.get(session.channel.id());
        if (b != null && b.lane != lane) {
            // Placed while the previous broadcast was ending and another publish started one elsewhere: this one's
            // transport is on the wrong thread for that router, so it is refused and the publisher retries.
            LOG.warn("channel {}: WHIP session {} raced another publish onto another media lane; closing it",
                    session.channel.slug(), session.id);
            sessions.remove(session.id);
            session.transport.close();
            return;
        }
        if (b != null && (!b.router.canContinueWith(session.tracks) || !sameCodecs(b.directTracks, session.directTracks))) {
            LOG.info("channel {}: new publisher sends other codecs ({}); ending the broadcast so players reconnect",
                    session.channel.slug(), describe(session.tracks));
            end(b);
            b = null;
        }
        if (b == null) b = start(session, lane);
        MediaSession previous = b.publisher;
        b.publisher = session;
        b.tracks = session.tracks;
        b.directTracks = session.directTracks;
        session.broadcast = b;
        if (b.grace != null) {
            b.grace.cancel(false);
            b.grace = null;
        }
        MediaReceiver receiver = b.router.attachPublisher(session.transport, session.tracks);
        session.transport.setReceiver(receiver);
        if (b.phase == BroadcastState.Phase.RECONNECTING) {
            b.phase = b.wentLive ? BroadcastState.Phase.LIVE : BroadcastState.Phase.STARTING;
            listener.onResumed(session.channel);
        }
        if (previous != null) {
            // A second publish while one is live replaces the first.
            LOG.info("channel {}: publisher session {} replaces {}", session.channel.slug(), session.id, previous.id);
            previous.broadcast = null;
            previous.transport.close();
        }
    }

    private Broadcast start(MediaSession session, MediaLane lane) {
        HostedRouter hosted = lane.hostRouter(session.channel.slug(), session.tracks, routerListener(session.channel),
                settings.router(), settings.tickInterval());
        ChannelSpread spread = settings.spreadViewers() && engine.workers().size() > 1 && ChannelSpread.canSpread(session.tracks)
                ? new ChannelSpread(session.channel.slug(), lane, hosted.router(), session.tracks, settings.router(),
                        settings.tickInterval(), engine.workers().size())
                : null;
        Broadcast created = new Broadcast(session.channel, lane, hosted, session.tracks, spread);
        created.directTracks = session.directTracks;
        broadcasts.put(session.channel.id(), created);
        openTap(created, !(session.transport instanceof LocalTransport));
        return created;
    }

    /**
     * The broadcast's tap (if the factory makes one) becomes a sink of its router.
     *
     * @param webrtcPublisher the first publisher is a WebRTC peer, not an RTMP/SRT ingest made on this node
     */
    private void openTap(Broadcast b, boolean webrtcPublisher) {
        try {
            List<TrackParameters> tapTracks = new ArrayList<>(b.directTracks);
            tapTracks.addAll(b.tracks);
            b.tap = taps.open(b.channel, tapTracks, () -> b.lane.execute(b.router::requestKeyframe),
                    () -> b.lane.execute(b.router::requestLayerKeyframes), webrtcPublisher).orElse(null);
            if (b.tap != null) b.router.addSink(b.tap.sink());
        } catch (RuntimeException e) {
            LOG.error("channel {}: could not open its media tap (HLS and recording); live WebRTC continues", b.channel.slug(), e);
        }
    }

    /** Whether two publishes hand the tap the same direct tracks (kinds and codecs; SSRCs differ per publish). */
    private static boolean sameCodecs(List<TrackParameters> a, List<TrackParameters> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).kind() != b.get(i).kind() || !a.get(i).codec().name().equalsIgnoreCase(b.get(i).codec().name())) return false;
        }
        return true;
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
                    listener.onLive(channel);
                }
            }
        };
    }

    /** The publisher's transport closed: the channel waits out the grace period (or ends with the engine). */
    void publisherGone(MediaSession s, CloseReason reason) {
        Broadcast b = s.broadcast;
        if (b == null || b.ended || b.publisher != s) return;
        b.publisher = null;
        b.router.detachPublisher();
        if (reason == CloseReason.ENGINE_CLOSED) {
            end(b);
            return;
        }
        b.phase = BroadcastState.Phase.RECONNECTING;
        LOG.info("channel {}: publisher gone ({}); waiting {} s for it to return", b.channel.slug(), reason,
                settings.publisherGrace().toSeconds());
        listener.onReconnecting(b.channel);
        b.grace = b.lane.schedule(() -> {
            if (!b.ended && b.publisher == null) {
                LOG.info("channel {}: publisher did not return; broadcast ends", b.channel.slug());
                end(b);
            }
        }, settings.publisherGrace());
    }

    // ---- viewers (lane thread) ----

    /**
     * The viewer's lane: its DTLS is done, so start forwarding to it, unless its broadcast or session ended meanwhile.
     * A viewer on the broadcast's lane joins its router; one placed on another lane joins that lane's relay router,
     * and the broadcast's own bookkeeping (viewer set, count, listener) follows on the broadcast's lane.
     */
    void viewerSecure(MediaSession session) {
        Broadcast b = session.broadcast;
        if (b == null || b.ended || !sessions.contains(session.id)) {
            session.transport.close();
            return;
        }
        boolean home = session.lane == null || session.lane == b.lane;
        Router router = home ? b.router : b.spread.routerOn(session.lane);
        if (router == null) { // the broadcast ended as this viewer got ready
            session.transport.close();
            return;
        }
        session.viewer = router.addViewer(session.transport, session.tracks);
        if (session.maxHeight > 0) session.viewer.maxHeight(session.maxHeight);
        if (session.pinnedLayer != null) session.viewer.pinLayer(session.pinnedLayer);
        session.transport.setReceiver(session.viewer.rtcpInput());
        if (home) viewerJoined(b, session);
        else onBroadcastLane(b, () -> viewerJoined(b, session));
    }

    /** The broadcast's lane: a secured viewer counts from now on. */
    private void viewerJoined(Broadcast b, MediaSession session) {
        if (b.ended) { // ended while the hop was queued: end() did not see this viewer
            session.closeTransport();
            return;
        }
        b.viewers.add(session);
        // A relay carries another node's viewers, which that node counts and records.
        if (session.kind == SessionKind.RELAY) return;
        b.viewerCount = viewerCount(b);
        listener.onViewerJoined(session.channel, session.id);
        listener.onViewerCount(session.channel, b.viewerCount);
    }

    /** The viewer's lane: its transport closed. */
    void viewerGone(MediaSession s) {
        if (s.viewer != null) s.viewer.close();
        if (s.lane != null && !s.laneReleased) {
            s.laneReleased = true;
            engine.releaseViewer(s.lane);
        }
        Broadcast b = s.broadcast;
        if (b == null) return;
        // After viewerJoined's hop from this lane, if there was one: the broadcast lane runs them in order.
        if (s.lane == null || s.lane == b.lane) viewerLeft(b, s);
        else onBroadcastLane(b, () -> viewerLeft(b, s));
    }

    private static void onBroadcastLane(Broadcast b, Runnable task) {
        try {
            b.lane.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The engine is closing: every broadcast ends with it.
        }
    }

    /** The broadcast's lane. */
    private void viewerLeft(Broadcast b, MediaSession s) {
        if (b.viewers.remove(s) && s.kind != SessionKind.RELAY) {
            b.viewerCount = viewerCount(b);
            listener.onViewerLeft(s.channel, s.id);
            listener.onViewerCount(s.channel, b.viewerCount);
        }
    }

    // ---- the end ----

    /** From any thread: ends the channel's broadcast now (the owner's "stop stream"); false when there is none. */
    boolean stop(long channelId) {
        Broadcast b = broadcasts.get(channelId);
        if (b == null) return false;
        b.lane.call(() -> {
            if (!b.ended) end(b);
            return null;
        });
        return true;
    }

    /** From any thread but a lane's: ends every broadcast, each on its own lane. */
    void closeAll() {
        for (Broadcast b : broadcasts.values()) {
            try {
                b.lane.call(() -> {
                    if (!b.ended) end(b);
                    return null;
                });
            } catch (IllegalStateException e) {
                LOG.debug("lane of channel {} already stopped", b.channel.slug());
            }
        }
    }

    /** Lane thread: tears the broadcast down; viewers' transports close so their players reconnect. */
    void end(Broadcast b) {
        b.ended = true;
        broadcasts.remove(b.channel.id(), b);
        if (b.grace != null) b.grace.cancel(false);
        MediaSession publisher = b.publisher;
        b.publisher = null;
        if (publisher != null) {
            sessions.remove(publisher.id);
            publisher.transport.close();
        }
        // The relays first: their viewers' consumers close with them, each on its own lane.
        if (b.spread != null) b.spread.close();
        for (MediaSession viewer : List.copyOf(b.viewers)) {
            sessions.remove(viewer.id);
            viewer.closeTransport();
            boolean home = viewer.lane == null || viewer.lane == b.lane;
            if (home && viewer.viewer != null) viewer.viewer.close();
            if (viewer.kind != SessionKind.RELAY) listener.onViewerLeft(viewer.channel, viewer.id);
        }
        sessions.closePendingViewers(b);
        b.viewers.clear();
        b.viewerCount = 0;
        b.hosted.close();
        engine.release(placementKey(b.channel));
        if (b.tap != null) GuardedListener.safely(b.tap::close);
        if (b.wentLive) listener.onEnded(b.channel);
    }

    private static int viewerCount(Broadcast b) {
        int n = 0;
        for (MediaSession s : b.viewers) if (s.kind == SessionKind.VIEWER) n++;
        return n;
    }

    static String describe(List<TrackParameters> tracks) {
        StringBuilder sb = new StringBuilder();
        for (TrackParameters t : tracks) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(t.kind().name().toLowerCase()).append(' ').append(t.codec().name());
            if (t.isLayer()) sb.append(" layer ").append(t.rid());
        }
        return sb.toString();
    }
}
