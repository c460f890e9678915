package live.cascade.signaling.session;

import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.Router;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One channel's live broadcast on this node: its router and the sessions around it. Confined to its media worker's
 * thread, except {@link #tracks} and {@link #phase}, which request threads read to negotiate viewers and report state.
 */
final class Broadcast {
    final ChannelRef channel;
    final MediaWorker worker;
    final Router router;
    final Set<MediaSession> viewers = new LinkedHashSet<>();
    volatile List<TrackParameters> tracks;
    volatile BroadcastState.Phase phase = BroadcastState.Phase.STARTING;
    volatile int viewerCount;
    MediaSession publisher;
    boolean wentLive;
    boolean ended;
    ScheduledFuture<?> tick;
    ScheduledFuture<?> grace;
    /** The HLS/recording tap fed by the router, or null. */
    BroadcastTap tap;

    Broadcast(ChannelRef channel, MediaWorker worker, Router router, List<TrackParameters> tracks) {
        this.channel = channel;
        this.worker = worker;
        this.router = router;
        this.tracks = List.copyOf(tracks);
    }

    BroadcastState state() {
        return new BroadcastState(channel, phase, viewerCount);
    }
}
