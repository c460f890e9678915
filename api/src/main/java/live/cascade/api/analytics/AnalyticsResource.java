package live.cascade.api.analytics;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.health.StreamHealth;
import live.cascade.db.Channel;
import live.cascade.db.ChannelActivity;
import live.cascade.db.Database;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import live.cascade.api.qoe.QoeSnapshot;

/**
 * Creator analytics: {@code GET /api/analytics/overview} sums the caller's channels (every channel for admins) from
 * the recorded viewer sessions (WHEP and HLS), follows and chat; {@code GET /api/analytics/channels/{channel}/ingest}
 * is the studio's view of the broadcast on this node.
 */
public final class AnalyticsResource {
    static final Duration WATCH_WINDOW = Duration.ofHours(24);
    /** The players' QoE in the overview: the last quarter hour this node keeps. */
    static final Duration QOE_WINDOW = Duration.ofMinutes(15);

    private final Database db;
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final BroadcastService broadcasts;
    private final Clock clock;
    private final Function<Channel, Optional<StreamHealth>> health;
    private final LongFunction<Optional<QoeSnapshot>> qoe;

    /**
     * @param health a channel's stream health on this node, empty when it is not broadcasting here
     * @param qoe    a channel's player QoE over the last {@link #QOE_WINDOW} on this node, empty when nobody reported
     */
    public AnalyticsResource(Database db, Authenticator auth, BroadcastService broadcasts,
                             Function<Channel, Optional<StreamHealth>> health, LongFunction<Optional<QoeSnapshot>> qoe, Clock clock) {
        this.db = db;
        this.qoe = qoe;
        this.health = health;
        this.auth = auth;
        this.lookup = new ChannelLookup(db);
        this.broadcasts = broadcasts;
        this.clock = clock;
    }

    record Summary(int liveViewers, int streamsLive, double watchTimeMinutes, int chatMessages) {
    }

    record PerChannel(long channelId, String slug, String title, boolean live, int liveViewers, int followers,
                      double avgWatchMinutes, double watchTimeMinutes, int chatMessages, QoeSnapshot qoe) {
    }

    record Overview(Summary summary, List<PerChannel> perChannel, Instant generatedAt, Instant watchTimeSince,
                    Instant chatSince) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/analytics/overview", this::overview);
        cfg.routes.get("/api/analytics/channels/{channel}/ingest", this::ingest);
    }

    private void overview(Context ctx) {
        Principal me = auth.require(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.json(overview(me.isAdmin() ? null : me.id(), clock.instant()));
    }

    /** Watch time over the last 24 hours; chat since midnight UTC (a day a creator can name). */
    Overview overview(Long ownerId, Instant now) {
        Instant watchFrom = now.minus(WATCH_WINDOW);
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ChannelActivity> rows = db.analytics().activity(ownerId, watchFrom, now, midnight);
        int viewers = 0;
        int live = 0;
        long seconds = 0;
        int chat = 0;
        for (ChannelActivity a : rows) {
            viewers += a.liveViewers();
            live += a.live() ? 1 : 0;
            seconds += a.watchSeconds();
            chat += a.chatMessages();
        }
        List<PerChannel> perChannel = rows.stream().map(a -> new PerChannel(a.channelId(), a.slug(), a.title(), a.live(),
                a.liveViewers(), a.followers(),
                a.viewerSessions() == 0 ? 0 : minutes((double) a.watchSeconds() / a.viewerSessions()),
                minutes(a.watchSeconds()), a.chatMessages(), qoe.apply(a.channelId()).orElse(null))).toList();
        return new Overview(new Summary(viewers, live, minutes(seconds), chat), perChannel, now, watchFrom, midnight);
    }

    /** Minutes with one decimal: a short test broadcast still shows as 0.3, not 0. */
    static double minutes(double seconds) {
        return Math.round(seconds / 6.0) / 10.0;
    }

    /**
     * The broadcast as this node's media plane sees it, for the owner's studio (and admins): the phase, viewers
     * connected here, and what the database knows of the current broadcast.
     */
    private void ingest(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        Optional<BroadcastState> state = broadcasts.state(c.id());
        Map<String, Object> body = new HashMap<>();
        body.put("channelId", c.id());
        body.put("state", state.map(s -> s.phase().name().toLowerCase(Locale.ROOT)).orElse("offline"));
        body.put("viewers", state.map(BroadcastState::viewers).orElse(0));
        // How the stream arrives, in the same answer (null when not broadcasting here), so the studio needs no second
        // request that an end of the broadcast could overtake.
        body.put("health", state.isEmpty() ? null : health.apply(c).orElse(null));
        body.put("since", db.streamSessions().listForChannel(c.id(), 1, null).stream()
                .filter(s -> s.live()).findFirst().map(s -> s.startedAt()).orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }
}
