package live.cascade.api.health;

import live.cascade.ingest.bridge.IngestStatus;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.hls.RecordingState;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /api/channels/{channel}/stream/health}: the ingest health a creator checks while going live from OBS or
 * FFmpeg (is my bitrate, frame rate, keyframe interval what I configured; is my uplink losing packets). Owner or
 * admin only: it describes the creator's connection. 409 when the channel is not broadcasting on this node, because
 * media lives on the node that took the WHIP session.
 */
public final class StreamHealthResource {
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final BroadcastService broadcasts;
    private final Clock clock;
    private final Function<String, Optional<RecordingState>> recordings;
    private final Function<Long, Optional<IngestStatus>> rtmp;
    private final Function<String, java.util.List<live.cascade.hls.restream.RestreamStatus>> restreams;
    private volatile java.util.function.BiFunction<Long, Context, Boolean> fromOrigin = (id, ctx) -> false;

    /** @param recordings how a channel's live recording is doing (by slug), empty without a tap on this node */
    public StreamHealthResource(Database db, Authenticator auth, BroadcastService broadcasts,
                                Function<String, Optional<RecordingState>> recordings, Clock clock) {
        this(db, auth, broadcasts, recordings, clock, id -> Optional.empty(), slug -> java.util.List.of());
    }

    /**
     * @param rtmp      the channel's RTMP/SRT publish status (by channel id), empty when it publishes otherwise
     * @param restreams each restream destination's status (by channel slug), empty when it restreams nowhere
     */
    public StreamHealthResource(Database db, Authenticator auth, BroadcastService broadcasts,
                                Function<String, Optional<RecordingState>> recordings, Clock clock,
                                Function<Long, Optional<IngestStatus>> rtmp,
                                Function<String, java.util.List<live.cascade.hls.restream.RestreamStatus>> restreams) {
        this.rtmp = rtmp;
        this.restreams = restreams;
        this.auth = auth;
        this.recordings = recordings;
        this.lookup = new ChannelLookup(db);
        this.broadcasts = broadcasts;
        this.clock = clock;
    }

    /**
     * Where the channel's origin is another node (issue 21), {@code fromOrigin} answers the request with the origin's
     * own stream health (true), since only the node holding the publisher measures it.
     */
    public void answerFromOrigin(java.util.function.BiFunction<Long, Context, Boolean> fromOrigin) {
        this.fromOrigin = fromOrigin;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/channels/{channel}/stream/health", this::health);
    }

    private void health(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        Optional<StreamHealth> here = current(c);
        if (here.isEmpty() && fromOrigin.apply(c.id(), ctx)) return;
        StreamHealth health = here.orElseThrow(
                () -> new ApiException(409, "Conflict", "Channel '" + c.slug() + "' is not broadcasting on any node."));
        ctx.header("Cache-Control", "no-store");
        ctx.json(health);
    }

    /**
     * The channel's stream health now, empty when it is not broadcasting on this node. The studio gets it inside the
     * ingest document, so one request says both whether the broadcast is live and how it arrives: two requests race
     * an end of the broadcast between them (the second answered 409).
     */
    public Optional<StreamHealth> current(Channel c) {
        Optional<BroadcastState> state = broadcasts.state(c.id());
        // Read after the state: a broadcast that ends between the two reads is reported as not broadcasting.
        Optional<IngestStats> ingest = state.isEmpty() ? Optional.empty() : broadcasts.ingestStats(c.id());
        if (state.isEmpty() || ingest.isEmpty()) return Optional.empty();
        return Optional.of(StreamHealth.of(state.get(), ingest.get(), recordings.apply(c.slug()), clock.instant(),
                rtmp.apply(c.id()), restreams.apply(c.slug())));
    }
}
