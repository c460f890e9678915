package live.cascade.signaling.session;

import live.cascade.sfu.spread.ChannelSpread;

import live.cascade.sfu.engine.HostedRouter;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.Router;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One channel's live broadcast on this node: its router on the channel's media lane and the sessions around it.
 * Owned by {@link BroadcastLifecycle}, which closes it. Confined to its lane's thread, except {@link #tracks} and
 * {@link #phase}, which request threads read to negotiate viewers and report state.
 */
final class Broadcast {
    final ChannelRef channel;
    final MediaLane lane;
    /** The router and its tick, closed when the broadcast ends. */
    final HostedRouter hosted;
    final Router router;
    /** Relay routers on the other lanes for viewers placed there; null when this broadcast's viewers do not spread. */
    final ChannelSpread spread;
    final Set<MediaSession> viewers = new LinkedHashSet<>();
    volatile List<TrackParameters> tracks;
    /** The publisher's tracks that only the tap gets (see {@link MediaSession#directTracks}); read by WHEP requests. */
    volatile List<TrackParameters> directTracks = List.of();
    volatile BroadcastState.Phase phase = BroadcastState.Phase.STARTING;
    volatile int viewerCount;
    MediaSession publisher;
    boolean wentLive;
    /** Volatile: viewers on other lanes check it before joining their relay. */
    volatile boolean ended;
    ScheduledFuture<?> grace;
    /** The HLS/recording tap fed by the router, or null. */
    BroadcastTap tap;

    Broadcast(ChannelRef channel, MediaLane lane, HostedRouter hosted, List<TrackParameters> tracks, ChannelSpread spread) {
        this.spread = spread;
        this.channel = channel;
        this.lane = lane;
        this.hosted = hosted;
        this.router = hosted.router();
        this.tracks = List.copyOf(tracks);
    }

    BroadcastState state() {
        return new BroadcastState(channel, phase, viewerCount);
    }
}
