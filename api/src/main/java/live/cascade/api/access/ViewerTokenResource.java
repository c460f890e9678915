package live.cascade.api.access;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.Secrets;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Mints viewer tokens for a channel (owner or admin): {@code POST /api/channels/{channel}/viewer-tokens}. */
public final class ViewerTokenResource {
    static final Duration DEFAULT_TTL = Duration.ofDays(1);
    static final Duration MAX_TTL = Duration.ofDays(30);

    private final Database db;
    private final Authenticator auth;
    private final Clock clock;

    public ViewerTokenResource(Database db, Authenticator auth, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.clock = clock;
    }

    record MintRequest(Long expiresInSeconds, Boolean singleUse) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/channels/{channel}/viewer-tokens", this::mint);
    }

    private void mint(Context ctx) {
        Principal me = auth.require(ctx);
        String slug = ctx.pathParam("channel");
        Channel c = db.channels().findBySlug(slug).orElseThrow(() -> ApiException.notFound("No channel '" + slug + "'."));
        if (c.ownerId() != me.id() && !me.isAdmin()) throw ApiException.forbidden("Only the owner of '" + c.slug() + "' (or an admin) mints its viewer tokens.");
        MintRequest req = ctx.body().isBlank() ? new MintRequest(null, null) : Json.body(ctx, MintRequest.class);
        Validator v = new Validator();
        long seconds = req.expiresInSeconds() == null ? DEFAULT_TTL.toSeconds() : req.expiresInSeconds();
        v.check(seconds >= 1 && seconds <= MAX_TTL.toSeconds(), "expiresInSeconds", "must be 1 to " + MAX_TTL.toSeconds() + " (30 days)");
        v.throwIfInvalid();
        boolean singleUse = Boolean.TRUE.equals(req.singleUse());
        String token = Secrets.newToken(ViewerAccess.PREFIX);
        // Whole seconds, rounded up: a token is never good for less than asked.
        Instant now = clock.instant();
        Instant expiresAt = Instant.ofEpochSecond(now.getEpochSecond() + seconds + (now.getNano() > 0 ? 1 : 0));
        db.viewerTokens().create(c.id(), Secrets.sha256Hex(token), me.id(), expiresAt, singleUse);
        ctx.status(201).json(Map.of("token", token, "expiresAt", expiresAt, "singleUse", singleUse, "visibility", c.visibility()));
    }
}
