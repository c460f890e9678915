package live.cascade.whipwhep;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.PatchResult;
import live.cascade.signaling.session.PlayResult;
import live.cascade.signaling.session.PublishResult;
import live.cascade.signaling.session.Refusal;
import live.cascade.signaling.session.SessionCreated;
import live.cascade.signaling.session.SessionInfo;
import live.cascade.signaling.session.SessionKind;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The WHIP ({@code POST /api/whip}) and WHEP ({@code POST /api/whep/{slug}}) endpoints and their session resources,
 * with RFC 9725 semantics. On these URLs the bearer token is a stream key, never a login session, which is why CORS
 * may be open here and only here.
 */
public final class WhipWhepResource {
    static final String SDP = "application/sdp";
    static final String SDPFRAG = "application/trickle-ice-sdpfrag";
    /** A broadcast ending frees a place; a publisher retrying about this often notices soon enough. */
    static final long QUOTA_RETRY_AFTER_SECONDS = 30;

    private final BroadcastService service;
    private final ChannelDirectory directory;
    private final WhipWhepSettings settings;
    private final Function<Context, String> clientAddress;
    private final Consumer<Refusal.Reason> refused;
    private final PublishQuota quota;

    /**
     * @param clientAddress the key a request's client is capped by (the api module's one client address, which
     *                      honours trusted proxies)
     * @param refused       told of every refusal, for the node's refusal counters
     * @param quota         whether an owner may start another broadcast
     */
    private final ViewerGate viewerGate;
    private final WhepLayers layers;
    private final WhepEvents events;
    private final WhipLayerEvents layerEvents;
    private volatile boolean closing;
    private final PublishAdmission admission;
    private final RemoteOrigins origins;
    private final RelayGate relayGate;

    public WhipWhepResource(BroadcastService service, ChannelDirectory directory, WhipWhepSettings settings,
                            Function<Context, String> clientAddress, Consumer<Refusal.Reason> refused, PublishQuota quota) {
        this(service, directory, settings, clientAddress, refused, quota, ViewerGate.OPEN, RelayGate.CLOSED);
    }

    public WhipWhepResource(BroadcastService service, ChannelDirectory directory, WhipWhepSettings settings,
                            Function<Context, String> clientAddress, Consumer<Refusal.Reason> refused, PublishQuota quota,
                            ViewerGate viewerGate) {
        this(service, directory, settings, clientAddress, refused, quota, viewerGate, PublishAdmission.OPEN);
    }

    /** @param admission the operator's admission hook, asked last before a publish is negotiated */
    public WhipWhepResource(BroadcastService service, ChannelDirectory directory, WhipWhepSettings settings,
                            Function<Context, String> clientAddress, Consumer<Refusal.Reason> refused, PublishQuota quota,
                            ViewerGate viewerGate, PublishAdmission admission) {
        this(service, directory, settings, clientAddress, refused, quota, viewerGate, admission, RelayGate.CLOSED, RemoteOrigins.NONE);
    }

    /** @param relayGate whether a WHEP request from another node (a relay) may pull a channel */
    public WhipWhepResource(BroadcastService service, ChannelDirectory directory, WhipWhepSettings settings,
                            Function<Context, String> clientAddress, Consumer<Refusal.Reason> refused, PublishQuota quota,
                            ViewerGate viewerGate, RelayGate relayGate) {
        this(service, directory, settings, clientAddress, refused, quota, viewerGate, PublishAdmission.OPEN, relayGate, RemoteOrigins.NONE);
    }

    /**
     * @param admission the operator's admission hook, asked last before a publish is negotiated
     * @param relayGate whether a WHEP request from another node (a relay) may pull a channel
     * @param origins   where a viewer of a channel live on another node is served from
     */
    public WhipWhepResource(BroadcastService service, ChannelDirectory directory, WhipWhepSettings settings,
                            Function<Context, String> clientAddress, Consumer<Refusal.Reason> refused, PublishQuota quota,
                            ViewerGate viewerGate, PublishAdmission admission, RelayGate relayGate, RemoteOrigins origins) {
        this.admission = admission;
        this.origins = origins;
        this.viewerGate = viewerGate;
        this.relayGate = relayGate;
        this.service = service;
        this.directory = directory;
        this.settings = settings;
        this.clientAddress = clientAddress;
        this.refused = refused;
        this.quota = quota;
        this.layers = new WhepLayers(service);
        this.events = new WhepEvents(service);
        this.layerEvents = new WhipLayerEvents(service, () -> closing);
        events.drainingWhen(() -> closing);
    }

    /**
     * The node is stopping: every event stream (WHEP events, which send {@code reconnect} first, and WHIP layer pausing)
     * ends within its poll interval. Called before the HTTP server stops, which otherwise waits its whole stop timeout
     * for those long-running responses and fails the shutdown.
     */
    public void closeEventStreams() {
        closing = true;
    }

    /**
     * While {@code draining} answers true, every WHEP event stream sends {@code reconnect} and ends, so players move to
     * another node before this one closes their sessions.
     */
    public void drainingWhen(java.util.function.BooleanSupplier draining) {
        events.drainingWhen(() -> closing || draining.getAsBoolean());
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.before("/api/whip", WhipWhepResource::cors);
        cfg.routes.before("/api/whip/*", WhipWhepResource::cors);
        cfg.routes.before("/api/whep/*", WhipWhepResource::cors);

        cfg.routes.options("/api/whip", ctx -> preflight(ctx, true));
        cfg.routes.options("/api/whip/{session}", ctx -> preflight(ctx, false));
        cfg.routes.options("/api/whep/{slug}", ctx -> preflight(ctx, true));
        cfg.routes.options("/api/whep/{slug}/{session}", ctx -> preflight(ctx, false));

        cfg.routes.post("/api/whip", this::publish);
        cfg.routes.get("/api/whip", WhipWhepResource::noContent);
        cfg.routes.head("/api/whip", WhipWhepResource::noContent);
        cfg.routes.patch("/api/whip/{session}", ctx -> patch(ctx, publisherSession(ctx)));
        cfg.routes.delete("/api/whip/{session}", ctx -> delete(ctx, publisherSession(ctx)));
        cfg.routes.get("/api/whip/{session}", ctx -> {
            publisherSession(ctx);
            noContent(ctx);
        });
        // Ours, for clients that can stop encoding a layer (the studio): which simulcast layers nobody consumes.
        cfg.routes.options("/api/whip/{session}/layers", ctx -> preflight(ctx, false));
        cfg.routes.get("/api/whip/{session}/layers", ctx -> layerEvents.stream(ctx, publisherSession(ctx)));

        cfg.routes.post("/api/whep/{slug}", this::play);
        cfg.routes.get("/api/whep/{slug}", WhipWhepResource::noContent);
        cfg.routes.head("/api/whep/{slug}", ctx -> ctx.status(200).contentType(SDP));
        cfg.routes.patch("/api/whep/{slug}/{session}", ctx -> patch(ctx, viewerSession(ctx)));
        cfg.routes.delete("/api/whep/{slug}/{session}", ctx -> delete(ctx, viewerSession(ctx)));
        cfg.routes.get("/api/whep/{slug}/{session}", ctx -> {
            viewerSession(ctx);
            noContent(ctx);
        });

        // WHEP extensions: layer selection and server-sent events.
        cfg.routes.options("/api/whep/{slug}/{session}/layer", WhipWhepResource::extensionPreflight);
        cfg.routes.options("/api/whep/{slug}/{session}/sse", WhipWhepResource::extensionPreflight);
        cfg.routes.post("/api/whep/{slug}/{session}/layer", ctx -> layers.select(ctx, viewerSession(ctx)));
        cfg.routes.post("/api/whep/{slug}/{session}/sse", ctx -> events.subscribe(ctx, sessionPath(viewerSession(ctx))));
        cfg.routes.get("/api/whep/{slug}/{session}/sse/stream", ctx -> events.stream(ctx, viewerSession(ctx)));
    }

    private static void extensionPreflight(Context ctx) {
        ctx.header("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }

    private static String sessionPath(SessionInfo s) {
        return "/api/whep/" + s.channel().slug() + "/" + s.id();
    }

    // ---- CORS ----

    private static void cors(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Expose-Headers", "Location, Link, ETag, Accept-Post, Accept-Patch, Retry-After, WWW-Authenticate");
    }

    private static void preflight(Context ctx, boolean endpoint) {
        ctx.header("Access-Control-Allow-Methods", endpoint ? "POST, GET, HEAD, OPTIONS" : "PATCH, DELETE, GET, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
        ctx.header("Access-Control-Max-Age", "86400");
        if (endpoint) ctx.header("Accept-Post", SDP);
        else ctx.header("Accept-Patch", SDPFRAG);
        ctx.status(204);
    }

    private static void noContent(Context ctx) {
        ctx.status(204);
    }

    // ---- WHIP ----

    private void publish(Context ctx) {
        requireContentType(ctx, SDP);
        String steering = ctx.queryParam("steer");
        PublishTarget target;
        if (steering != null) {
            // Sent here by another node's 307: the token stands in for the stream key, once.
            String slug = origins.redeemSteering(steering).orElseThrow(() -> unauthorized("This redirect's token has expired, was "
                    + "used already or is for another node; publish again to the address in your settings."));
            target = directory.bySlug(slug).orElseThrow(() -> unauthorized("The channel of this redirect no longer exists."));
        } else {
            String key = bearer(ctx).orElseThrow(() -> unauthorized("Send the channel's stream key as Authorization: Bearer <stream key>."));
            target = directory.byStreamKey(key)
                    .orElseThrow(() -> unauthorized("This stream key belongs to no channel; copy it again from your channel settings (it changes when rotated)."));
            Optional<String> elsewhere = origins.steerPublisher(target.channel());
            if (elsewhere.isPresent()) {
                ctx.status(307);
                ctx.header("Location", elsewhere.get());
                return;
            }
        }
        Optional<String> closed = origins.closedForNewSessions();
        if (closed.isPresent()) {
            throw new WhipWhepException(503, "Service Unavailable", closed.get())
                    .header("Retry-After", Integer.toString(settings.overloadRetryAfter()));
        }
        if (target.suspended()) {
            throw new WhipWhepException(403, "Forbidden", "Channel '" + target.channel().slug() + "' is suspended and cannot go live.");
        }
        if (target.publishRefusal().isPresent()) throw new WhipWhepException(403, "Forbidden", target.publishRefusal().get());
        origins.heldElsewhere(target.channel()).ifPresent(held -> {
            throw new WhipWhepException(503, "Service Unavailable", held.detail()).header("Retry-After", Integer.toString(held.retryAfterSeconds()));
        });
        quota.refusal(target.channel()).ifPresent(detail -> {
            throw new WhipWhepException(429, "Too Many Requests", detail).header("Retry-After", Long.toString(QUOTA_RETRY_AFTER_SECONDS));
        });
        admission.check(target.channel(), clientAddress.apply(ctx), "whip").ifPresent(r -> {
            WhipWhepException e = new WhipWhepException(r.status(), switch (r.status()) {
                case 403 -> "Forbidden";
                case 409 -> "Conflict";
                case 429 -> "Too Many Requests";
                default -> "Service Unavailable";
            }, r.detail());
            throw r.retryAfterSeconds() > 0 ? e.header("Retry-After", Long.toString(r.retryAfterSeconds())) : e;
        });
        PublishResult result = service.publish(target.channel(), ctx.body());
        switch (result) {
            case SessionCreated created -> {
                // Only a simulcast publisher has layers to pause.
                if (created.answerSdp().contains("a=simulcast:")) ctx.res().addHeader("Link", WhipLayerEvents.link("/api/whip/" + created.sessionId()));
                created(ctx, "/api/whip/" + created.sessionId(), created);
            }
            case Refusal refusal -> throw refused(refusal);
        }
    }

    private SessionInfo publisherSession(Context ctx) {
        String id = ctx.pathParam("session");
        Optional<SessionInfo> info = service.session(id).filter(s -> s.kind() == SessionKind.PUBLISHER);
        if (info.isEmpty()) throw new WhipWhepException(404, "Not Found", "No WHIP session " + id + "; it ended or never existed.");
        String key = bearer(ctx).orElseThrow(() -> unauthorized("Send the stream key as Authorization: Bearer <stream key> on every WHIP request."));
        PublishTarget target = directory.byStreamKey(key).orElseThrow(() -> unauthorized("This stream key belongs to no channel."));
        if (target.channel().id() != info.get().channel().id()) {
            throw new WhipWhepException(403, "Forbidden", "This stream key is not the one that created WHIP session " + id + ".");
        }
        return info.get();
    }

    // ---- WHEP ----

    private void play(Context ctx) {
        requireContentType(ctx, SDP);
        String slug = ctx.pathParam("slug");
        PublishTarget target = directory.bySlug(slug).filter(t -> !t.suspended())
                .orElseThrow(() -> new WhipWhepException(404, "Not Found", "No channel '" + slug + "'."));
        String relayPath = ctx.header(RelayGate.PATH_HEADER);
        PlayResult result;
        if (relayPath != null) {
            // Another node pulling the channel for its viewers: its relay credential stands in for viewer access.
            Optional<RelayGate.Refusal> refusal = relayGate.refusal(target.channel(), bearer(ctx), RelayGate.parsePath(relayPath));
            if (refusal.isPresent()) throw new WhipWhepException(refusal.get().status(), refusal.get().title(), refusal.get().detail());
            result = service.playRelay(target.channel(), ctx.body(), clientAddress.apply(ctx));
        } else {
            String steered = ctx.queryParam("steer");
            if (steered != null) {
                // Sent here by an overloaded node's 307: the token stands in for the viewer's access (the redirect
                // dropped a private channel's Bearer), once, and this node serves the viewer rather than steering on.
                String admitted = origins.redeemViewerSteering(steered).orElseThrow(() -> unauthorized("This redirect's token has "
                        + "expired, was used already or is for another node; play again from the channel's address."));
                if (!admitted.equalsIgnoreCase(slug)) throw new WhipWhepException(403, "Forbidden", "This redirect's token is for another channel.");
            } else {
                Optional<String> closed = viewerGate.refusal(target.channel(), bearer(ctx));
                if (closed.isPresent()) throw new WhipWhepException(403, "Forbidden", closed.get());
                Optional<String> elsewhere = origins.steerViewer(target.channel(), service.state(target.channel().id()).isPresent());
                if (elsewhere.isPresent()) {
                    ctx.status(307);
                    ctx.header("Location", elsewhere.get());
                    return;
                }
            }
            if ((service.state(target.channel().id()).isEmpty() || origins.closedForNewSessions().isPresent())
                    && origins.place(target.channel()) instanceof RemoteOrigins.Placement.Redirect r) {
                // Live on another node and not relayed here: 307 keeps the POST and its offer (RFC 9725 allows it).
                ctx.status(307);
                ctx.header("Location", r.whepUrl());
                return;
            }
            result = service.play(target.channel(), ctx.body(), clientAddress.apply(ctx));
        }
        switch (result) {
            case SessionCreated created -> {
                String location = "/api/whep/" + slug + "/" + created.sessionId();
                // The extensions this resource offers (WHEP §4.7): its events and the choice of simulcast layer.
                ctx.res().addHeader("Link", WhepEvents.link(location));
                ctx.res().addHeader("Link", "<" + location + "/layer>; rel=\"" + WhepLayers.REL + "\"");
                created(ctx, location, created);
            }
            case Refusal refusal -> throw refused(refusal);
        }
    }

    private SessionInfo viewerSession(Context ctx) {
        String id = ctx.pathParam("session");
        String slug = ctx.pathParam("slug");
        return service.session(id)
                .filter(s -> s.kind() != SessionKind.PUBLISHER && s.channel().slug().equalsIgnoreCase(slug))
                .orElseThrow(() -> new WhipWhepException(404, "Not Found", "No WHEP session " + id + " on channel '" + slug + "'; it ended or never existed."));
    }

    // ---- shared ----

    private void created(Context ctx, String location, SessionCreated created) {
        ctx.status(201);
        ctx.header("Location", location);
        ctx.header("ETag", created.etag());
        for (IceServer server : settings.iceServers().get()) ctx.res().addHeader("Link", server.linkValue());
        ctx.contentType(SDP);
        ctx.result(created.answerSdp());
    }

    private void patch(Context ctx, SessionInfo session) {
        requireContentType(ctx, SDPFRAG);
        PatchResult result = service.patch(session.id(), ctx.header("If-Match"), ctx.body());
        switch (result) {
            case PatchResult.Trickled t -> ctx.status(204);
            case PatchResult.Restarted r -> {
                ctx.status(200);
                ctx.header("ETag", r.etag());
                ctx.contentType(SDPFRAG);
                ctx.result(r.fragment());
            }
            case Refusal refusal -> throw refused(refusal);
        }
    }

    private void delete(Context ctx, SessionInfo session) {
        // Any If-Match on DELETE is ignored, as RFC 9725 requires.
        if (!service.delete(session.id())) {
            throw new WhipWhepException(404, "Not Found", "Session " + session.id() + " has already ended.");
        }
        ctx.status(200);
    }

    private WhipWhepException refused(Refusal refusal) {
        refused.accept(refusal.reason());
        return switch (refusal.reason()) {
            case MALFORMED -> new WhipWhepException(400, "Bad Request", refusal.detail());
            case UNPROCESSABLE -> new WhipWhepException(422, "Unprocessable Content", refusal.detail());
            case OFFLINE -> new WhipWhepException(409, "Conflict", refusal.detail())
                    .header("Retry-After", Integer.toString(settings.offlineRetryAfter()));
            case PUBLISHER_SHARE_FULL, VIEWER_SHARE_FULL -> new WhipWhepException(503, "Service Unavailable", refusal.detail())
                    .header("Retry-After", Integer.toString(settings.overloadRetryAfter()));
            case PENDING_VIEWERS_PER_ADDRESS, PENDING_VIEWERS_PER_CHANNEL -> new WhipWhepException(429, "Too Many Requests", refusal.detail())
                    .header("Retry-After", Integer.toString(settings.pendingRetryAfter()));
            case NOT_FOUND -> new WhipWhepException(404, "Not Found", refusal.detail());
            case PRECONDITION_REQUIRED -> new WhipWhepException(428, "Precondition Required", refusal.detail());
            case PRECONDITION_FAILED -> new WhipWhepException(412, "Precondition Failed", refusal.detail());
        };
    }

    private static void requireContentType(Context ctx, String expected) {
        String ct = ctx.contentType();
        String bare = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!bare.equals(expected)) {
            throw new WhipWhepException(415, "Unsupported Media Type",
                    "Send the body as " + expected + (ct == null ? "" : " (got " + ct + ")") + ".").header("Accept", expected);
        }
    }

    /** Stream keys are about 50 characters; a longer bearer is refused before it is hashed and looked up. */
    static final int MAX_STREAM_KEY = 200;

    private static Optional<String> bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        String token = h.substring(7).strip();
        if (token.length() > MAX_STREAM_KEY) {
            throw new WhipWhepException(400, "Bad Request", "The bearer token is " + token.length() + " characters long; a stream key is at most "
                    + MAX_STREAM_KEY + ". Copy it again from your channel settings.");
        }
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static WhipWhepException unauthorized(String detail) {
        return new WhipWhepException(401, "Unauthorized", detail).header("WWW-Authenticate", "Bearer realm=\"cascade-whip\"");
    }
}
