package live.cascade.api.chat;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.api.moderation.ChannelRights;
import live.cascade.api.moderation.ChatSettingsCache;
import live.cascade.db.Channel;
import live.cascade.db.ChatMessage;
import live.cascade.db.Database;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Chat over REST (history, posting) and the chat WebSocket, see docs/chat.md. */
public final class ChatResource {
    /** Problem type URIs of chat refusals end in the error code, e.g. {@code urn:cascade:chat:slow_mode}. */
    public static final String PROBLEM_TYPE_PREFIX = "urn:cascade:chat:";

    private final Database db;
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final ChatService chat;
    private final ChatEndpoint endpoint;

    record PostRequest(String text) {
    }

    public ChatResource(Database db, Authenticator auth, ChatService chat, ChatHub hub, ChannelRights rights,
                        ChatSettingsCache settings, Clock clock, ChatSocketLimit socketLimit) {
        this.db = db;
        this.auth = auth;
        this.lookup = new ChannelLookup(db);
        this.chat = chat;
        this.endpoint = new ChatEndpoint(hub, chat, auth, lookup, rights, settings, db, clock, socketLimit);
    }

    public void routes(JavalinConfig cfg) {
        // Chat frames are small and go to thousands of sockets; compressing each copy per socket costs far more CPU
        // than the bandwidth it saves, so permessage-deflate is not offered.
        cfg.jetty.modifyWebSocketServletFactory(f -> f.getAvailableExtensionNames().remove("permessage-deflate"));
        cfg.routes.get("/api/channels/{channel}/chat", this::history);
        cfg.routes.post("/api/channels/{channel}/chat", this::post);
        cfg.routes.wsBeforeUpgrade("/api/channels/{channel}/chat/ws", endpoint::beforeUpgrade);
        cfg.routes.ws("/api/channels/{channel}/chat/ws", endpoint::configure);
    }

    private void history(Context ctx) {
        Channel c = lookup.find(ctx, auth.current(ctx));
        int limit = Paging.limit(ctx);
        Long before = null;
        String raw = ctx.queryParam("before");
        if (raw != null && !raw.isEmpty()) {
            try {
                before = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw ApiException.invalidField("before", "must be a message id (the \"next\" value of the previous page)");
            }
        }
        List<ChatMessage> rows = db.chatMessages().history(c.id(), before, limit + 1);
        boolean more = rows.size() > limit;
        List<ChatMessage> page = new ArrayList<>(more ? rows.subList(0, limit) : rows);
        Collections.reverse(page);
        Map<String, Object> body = new HashMap<>();
        body.put("items", page.stream().map(ServerFrame.Message::of).toList());
        body.put("next", more ? Long.toString(page.getFirst().id()) : null);
        ctx.json(body);
    }

    private void post(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        PostRequest req = Json.body(ctx, PostRequest.class);
        Validator v = new Validator();
        v.check(req.text() != null, "text", "is required");
        v.throwIfInvalid();
        switch (chat.post(me, c, req.text())) {
            case PostOutcome.Posted p -> ctx.status(201).json(ServerFrame.Message.of(p.message()));
            case PostOutcome.Rejected r -> throw problem(r);
        }
    }

    /** A refusal as a problem document whose type names the chat error code. */
    static ApiException problem(PostOutcome.Rejected r) {
        ChatError e = r.error();
        ApiException ex = switch (e.httpStatus()) {
            case 400 -> ApiException.invalidField("text", r.message());
            case 401 -> ApiException.unauthorized(r.message());
            case 403 -> ApiException.forbidden(r.message());
            case 429 -> ApiException.tooManyRequests(r.message(), r.retryAfter() == null ? 1 : ChatService.seconds(r.retryAfter()));
            case 503 -> new ApiException(503, "Service Unavailable", r.message())
                    .header("Retry-After", Long.toString(r.retryAfter() == null ? 1 : ChatService.seconds(r.retryAfter())));
            default -> new ApiException(e.httpStatus(), e.httpStatus() == 422 ? "Unprocessable Content" : "Error", r.message());
        };
        if (e == ChatError.TIMED_OUT && r.retryAfter() != null) ex.header("Retry-After", Long.toString(ChatService.seconds(r.retryAfter())));
        return ex.type(PROBLEM_TYPE_PREFIX + e.code());
    }

    /** This node's open chat sockets, for revocations. */
    ChatRevocations.OpenSockets openSockets() {
        return endpoint;
    }
}
