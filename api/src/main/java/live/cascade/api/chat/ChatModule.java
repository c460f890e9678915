package live.cascade.api.chat;

import java.util.function.Consumer;
import live.cascade.db.Report;

import io.javalin.config.JavalinConfig;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.moderation.ChannelRights;
import live.cascade.api.moderation.ChatSettingsCache;
import live.cascade.api.moderation.ModerationResource;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;

/** Live chat and its moderation wired together: one per node, started before and closed before the HTTP server. */
public final class ChatModule implements AutoCloseable {
    static final Duration SETTINGS_CACHE_TTL = Duration.ofSeconds(5);
    static final Duration PRESENCE_INTERVAL = Duration.ofSeconds(1);

    private final ChatHub hub;
    private final ChatResource chat;
    private final ModerationResource moderation;

    /** The bus, presence, limiter and command channel are the cluster seams, local or through Redis as configured. */
    public ChatModule(Database db, Authenticator auth, ChatBus bus, Presence presence, RateLimiter rateLimiter, NodeCommands commands,
                      int rateLimit, Duration rateWindow, Duration coalesce, Clock clock, ChatSocketLimit socketLimit,
                      Consumer<Report> reportFiled) {
        ChannelRights rights = new ChannelRights(db);
        ChatSettingsCache settings = new ChatSettingsCache(db, clock, SETTINGS_CACHE_TTL);
        this.hub = new ChatHub(presence, settings, Runtime.getRuntime().availableProcessors(), PRESENCE_INTERVAL, coalesce);
        bus.start(hub);
        ChatService service = new ChatService(db, rights, settings, rateLimiter, rateLimit, rateWindow, bus, clock);
        this.chat = new ChatResource(db, auth, service, hub, rights, settings, clock, socketLimit);
        this.moderation = new ModerationResource(db, auth, rights, new ChatBroadcaster(bus, reportFiled), rateLimiter,
                commands, clock);
        commands.subscribe(new ChatRevocations(chat.openSockets(), db, rights, clock));
    }

    public void routes(JavalinConfig cfg) {
        chat.routes(cfg);
        moderation.routes(cfg);
    }

    public ChatHub hub() {
        return hub;
    }

    /** Tells every socket the node is going away (1001) and stops the fan-out. */
    @Override
    public void close() {
        hub.close();
    }
}
