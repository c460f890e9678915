package live.cascade.api.chat;

import io.javalin.http.Context;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsErrorContext;
import io.javalin.websocket.WsMessageContext;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.OriginGuard;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ProblemResponder;
import live.cascade.api.moderation.ChannelRights;
import live.cascade.api.moderation.ChatSettingsCache;
import live.cascade.db.Ban;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The chat WebSocket {@code /api/channels/{channel}/chat/ws}: authenticates the upgrade (header or cookie, never the
 * URL), refuses cookie upgrades from other sites, then reads client frames under the {@link InboundGuard} and posts
 * through {@link ChatService}. Nothing a client sends can throw out of here: every failure becomes an error frame.
 */
final class ChatEndpoint implements ChatRevocations.OpenSockets {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);

    /** Frames above this many characters get frame_too_large; a 2,000-character message fits many times over. */
    static final int MAX_FRAME_CHARS = 16 * 1024;
    /** Above this Jetty itself closes the socket (1009) without reading the frame into memory. */
    static final long HARD_MAX_FRAME_BYTES = 64 * 1024;
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);
    static final long PING_SECONDS = 30;
    static final Duration CHANNEL_CACHE_TTL = Duration.ofSeconds(5);

    private final ChatHub hub;
    private final ChatService chat;
    private final Authenticator auth;
    private final ChannelCache channels;
    private final ChannelRights rights;
    private final ChatSettingsCache settings;
    private final Database db;
    private final Clock clock;
    private final ConcurrentHashMap<String, Attached> sockets = new ConcurrentHashMap<>();
    private final ChatSocketLimit socketLimit;
    private final ChannelLookup lookup;
    /** The address key each open socket counts against, by session id. */
    private final ConcurrentHashMap<String, String> addressOf = new ConcurrentHashMap<>();

    private record Attached(ChatSocket socket, Channel channel) {
    }

    ChatEndpoint(ChatHub hub, ChatService chat, Authenticator auth, ChannelLookup lookup, ChannelRights rights,
                 ChatSettingsCache settings, Database db, Clock clock, ChatSocketLimit socketLimit) {
        this.socketLimit = socketLimit;
        this.hub = hub;
        this.chat = chat;
        this.auth = auth;
        this.channels = new ChannelCache(lookup, clock, CHANNEL_CACHE_TTL);
        this.lookup = lookup;
        this.rights = rights;
        this.settings = settings;
        this.db = db;
        this.clock = clock;
    }

    /** Before the upgrade: 403 for a cookie from another site, 404 for an unknown channel, as problem documents. */
    void beforeUpgrade(Context ctx) {
        try {
            OriginGuard.requireSameSiteForCookie(ctx);
            socketLimit.checkUpgrade(ctx);
            Optional<Principal> caller = auth.current(ctx);
            Channel c = channels.find(ctx.pathParam("channel"), caller);
            // A private channel's chat is as closed as its playback; the socket carries the viewer token as ?token=.
            lookup.requireReadable(c, caller, ChannelLookup.viewerToken(ctx.queryParam("token"), ctx.header(ChannelLookup.VIEWER_TOKEN_HEADER)));
        } catch (ApiException e) {
            // Javalin's upgrade path keeps the status and headers the exception mapper sets but never writes its
            // result, so the refusal would reach the client without its problem document; commit it here instead.
            ProblemResponder.commit(ctx, e);
            throw e;
        }
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::connect);
        ws.onMessage(this::message);
        ws.onBinaryMessage(this::binary);
        ws.onClose(this::closed);
        ws.onError(this::error);
    }

    private void connect(WsConnectContext ctx) {
        ctx.session.setMaxTextMessageSize(HARD_MAX_FRAME_BYTES);
        ctx.session.setMaxBinaryMessageSize(1024);
        ctx.session.setIdleTimeout(IDLE_TIMEOUT);
        ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
        // The upgrade was checked already; this is the count that holds when upgrades race.
        String address = ctx.attribute(ChatSocketLimit.ADDRESS_ATTR);
        if (address != null) {
            if (!socketLimit.tryOpen(address)) {
                reject(ctx, null, ChatError.RATE_LIMITED, socketLimit.detail(), 1013);
                return;
            }
            addressOf.put(ctx.sessionId(), address);
        }
        Principal who = null;
        ChatSocket socket = null;
        try {
            who = auth.authenticate(ctx.header("Authorization"), ctx.cookie(Authenticator.COOKIE)).orElse(null);
            Channel channel = channels.find(ctx.pathParam("channel"), Optional.ofNullable(who));
            lookup.requireReadable(channel, Optional.ofNullable(who), ChannelLookup.viewerToken(ctx.queryParam("token"), ctx.header(ChannelLookup.VIEWER_TOKEN_HEADER)));
            socket = new ChatSocket(ctx.sessionId(), channel.id(), who, hub.assignLane(), ctx.session,
                    new InboundGuard(clock.millis()));
            sockets.put(ctx.sessionId(), new Attached(socket, channel));
            boolean canPost = who != null;
            if (who != null) {
                Instant now = clock.instant();
                Optional<Ban> ban = db.bans().findActive(channel.id(), who.id(), now);
                if (ban.isPresent() && ban.get().permanent()) {
                    socket.fail(ChatError.BANNED, ChatService.banned(ban.get(), now).message());
                    return;
                }
                canPost = ban.isEmpty();
            }
            socket.send(new ServerFrame.Hello(new ServerFrame.ChannelRef(channel.id(), channel.slug()),
                    who == null ? null : new ServerFrame.UserRef(who.id(), who.user().username()), canPost,
                    rights.canModerate(channel, who), ServerFrame.PublicSettings.of(settings.get(channel.id()).settings()),
                    hub.presenceOf(channel.id())));
            // After the hello, so it is the first frame the client reads. A socket revoked while connecting is not
            // joined, or leaves again if its close was handled while it joined.
            if (!socket.isOpen()) return;
            hub.join(socket);
            if (!socket.isOpen()) hub.leave(socket);
        } catch (ApiException e) {
            // The channel went away (or was suspended) between the upgrade and now.
            reject(ctx, socket, ChatError.NOT_FOUND, e.getMessage(), ChatError.NOT_FOUND.closeCode());
        } catch (RuntimeException e) {
            if (DatabaseOutage.isUnreachable(e)) {
                // Not a server bug: the database is away for a moment (logged once per outage elsewhere). 1013: try again later.
                // Not fatal: the web app reconnects by itself, backing off.
                reject(ctx, socket, new ServerFrame.Error(ChatError.UNAVAILABLE.code(), "The chat is paused for a moment (the server "
                        + "cannot reach its database); reconnecting shortly.", DatabaseOutage.RETRY_AFTER.toMillis(), null, null),
                        ChatError.UNAVAILABLE.closeCode());
                return;
            }
            LOG.warn("chat connect failed: {}", e.toString());
            reject(ctx, socket, ChatError.SERVER_ERROR, "The chat is unavailable right now; try again shortly.", 1011);
        }
    }

    private void reject(WsConnectContext ctx, ChatSocket socket, ChatError error, String message, int code) {
        reject(ctx, socket, new ServerFrame.Error(error.code(), message, null, null, true), code);
    }

    /** {@code frame} says why, then the socket closes with {@code code}. A frame not marked fatal lets the client reconnect. */
    private void reject(WsConnectContext ctx, ChatSocket socket, ServerFrame.Error frame, int code) {
        String message = frame.message();
        if (socket != null) {
            socket.send(frame);
            socket.close(code, message);
        } else {
            ctx.send(SerializedFrame.of(frame).text());
            ctx.closeSession(code, message.length() > 100 ? message.substring(0, 100) : message);
        }
    }

    private void message(WsMessageContext ctx) {
        Attached a = sockets.get(ctx.sessionId());
        if (a == null || !a.socket.isOpen()) return;
        ChatSocket s = a.socket;
        long now = clock.millis();
        String text = ctx.message();
        if (!s.guard.admit(now)) {
            long wait = s.guard.retryAfterMillis();
            strike(s, now, new ServerFrame.Error(ChatError.RATE_LIMITED.code(), "Too many frames: at most "
                    + (int) InboundGuard.FRAMES_PER_SECOND + " a second.", wait, null, null), ChatError.RATE_LIMITED);
            return;
        }
        if (text.length() > MAX_FRAME_CHARS) {
            strike(s, now, ServerFrame.Error.of(ChatError.FRAME_TOO_LARGE, "That frame has " + text.length()
                    + " characters; frames may have at most " + MAX_FRAME_CHARS + "."), ChatError.FRAME_TOO_LARGE);
            return;
        }
        switch (ClientFrame.parse(text)) {
            case ClientFrame.Invalid bad -> strike(s, now,
                    new ServerFrame.Error(bad.error().code(), bad.message(), null, bad.ref(), null), bad.error());
            case ClientFrame.Ping ping -> s.send(new ServerFrame.Pong(ping.ref()));
            case ClientFrame.SendMessage send -> post(a, send, now);
        }
    }

    private void post(Attached a, ClientFrame.SendMessage send, long now) {
        ChatSocket s = a.socket;
        if (s.principal == null) {
            strike(s, now, new ServerFrame.Error(ChatError.NOT_AUTHENTICATED.code(),
                    "Log in to post: anonymous viewers can read this chat but not write in it.", null, send.ref(), null),
                    ChatError.NOT_AUTHENTICATED);
            return;
        }
        PostOutcome outcome;
        try {
            outcome = chat.post(s.principal, a.channel, send.text());
        } catch (RuntimeException e) {
            LOG.warn("chat post on socket {} failed: {}", s.id, e.toString());
            s.send(new ServerFrame.Error(ChatError.SERVER_ERROR.code(), "Your message could not be saved; try again.",
                    null, send.ref(), null));
            return;
        }
        switch (outcome) {
            case PostOutcome.Posted p -> s.send(new ServerFrame.Sent(send.ref(), p.message().id()));
            // The author lost their standing since connecting (a frame sent before the revocation reached us).
            case PostOutcome.Rejected r when r.error() == ChatError.SESSION_ENDED || r.error() == ChatError.SUSPENDED -> {
                s.send(new ServerFrame.Error(r.error().code(), r.message(), null, send.ref(), true));
                s.close(r.error().closeCode(), r.message());
            }
            case PostOutcome.Rejected r -> s.send(new ServerFrame.Error(r.error().code(), r.message(),
                    r.retryAfter() == null ? null : r.retryAfter().toMillis(), send.ref(), null));
        }
    }

    /** A suspended channel is looked up afresh by the next connect (which then gets 404), not served from the cache. */
    @Override
    public void forgetChannel(long channelId) {
        channels.forget(channelId);
    }

    /**
     * From the moment a socket is authenticated, before its hello and before it joins the hub, so a revocation that
     * arrives while a socket is still connecting finds it too.
     */
    @Override
    public List<ChatSocket> matching(Predicate<ChatSocket> which) {
        List<ChatSocket> out = new ArrayList<>();
        for (Attached a : sockets.values()) if (which.test(a.socket)) out.add(a.socket);
        return out;
    }

    private void binary(WsBinaryMessageContext ctx) {
        Attached a = sockets.get(ctx.sessionId());
        if (a == null) return;
        strike(a.socket, clock.millis(), ServerFrame.Error.of(ChatError.UNSUPPORTED_DATA,
                "This socket takes JSON text frames only."), ChatError.UNSUPPORTED_DATA);
    }

    /** Answers a bad frame; the last one the guard tolerates closes the socket with the error's close code. */
    private void strike(ChatSocket s, long now, ServerFrame.Error error, ChatError kind) {
        if (s.guard.strike(now)) {
            s.send(new ServerFrame.Error(error.code(), error.message() + " Too many bad frames: closing.",
                    error.retryAfterMs(), error.ref(), true));
            s.close(kind.closeCode(), "too many bad frames (" + kind.code() + ")");
        } else {
            s.send(error);
        }
    }

    private void closed(WsCloseContext ctx) {
        release(ctx.sessionId());
        Attached a = sockets.remove(ctx.sessionId());
        if (a != null) hub.leave(a.socket);
    }

    private void error(WsErrorContext ctx) {
        LOG.debug("chat socket {} error: {}", ctx.sessionId(), String.valueOf(ctx.error()));
        release(ctx.sessionId());
        Attached a = sockets.remove(ctx.sessionId());
        if (a != null) hub.leave(a.socket);
    }

    private void release(String sessionId) {
        String address = addressOf.remove(sessionId);
        if (address != null) socketLimit.closed(address);
    }
}
