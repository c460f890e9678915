package live.cascade.api.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.ApiToken;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-account API tokens for automation: {@code POST /api/tokens} shows a new token once, {@code GET /api/tokens}
 * lists them (name, scopes, created, last used, revoked; never the token), {@code DELETE /api/tokens/{id}} revokes
 * one. Only the token's SHA-256 is stored. Used as {@code Authorization: Bearer cat_…} on the REST API.
 */
public final class ApiTokens {
    public static final String PREFIX = "cat_";
    static final int MAX_PER_ACCOUNT = 50;

    private final Database db;
    private final Authenticator auth;
    private final Clock clock;

    public ApiTokens(Database db, Authenticator auth, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.clock = clock;
    }

    record CreateRequest(String name, List<String> scopes) {
    }

    record TokenJson(long id, String name, List<String> scopes, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        static TokenJson of(ApiToken t) {
            return new TokenJson(t.id(), t.name(), t.scopes(), t.createdAt(), t.lastUsedAt().orElse(null), t.revokedAt().orElse(null));
        }
    }

    record CreatedJson(long id, String name, List<String> scopes, Instant createdAt, String token) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/tokens", this::create);
        cfg.routes.get("/api/tokens", this::list);
        cfg.routes.delete("/api/tokens/{id}", this::revoke);
    }

    private void create(Context ctx) {
        Principal p = auth.require(ctx);
        CreateRequest req = Json.body(ctx, CreateRequest.class);
        Validator v = new Validator();
        if (v.check(req.name() != null && !req.name().isBlank(), "name", "is required (what the token is for, e.g. \"obs-automation\")"))
            v.check(req.name().strip().length() <= 64, "name", "must be at most 64 characters");
        List<String> scopes = new ArrayList<>();
        if (v.check(req.scopes() != null && !req.scopes().isEmpty(), "scopes", "must name at least one of read, stream, moderate, admin")) {
            for (String s : req.scopes()) {
                Optional<Scope> scope = Scope.of(s);
                if (!v.check(scope.isPresent(), "scopes", "'" + s + "' is not a scope: use read, stream, moderate or admin")) continue;
                if (!v.check(scope.get() != Scope.ADMIN || p.user().isAdmin(), "scopes", "only an administrator's token can have the admin scope")) continue;
                if (!scopes.contains(scope.get().label())) scopes.add(scope.get().label());
            }
        }
        v.throwIfInvalid();
        if (db.apiTokens().listForUser(p.id()).stream().filter(t -> !t.revoked()).count() >= MAX_PER_ACCOUNT) {
            throw ApiException.conflict("name", "This account already has " + MAX_PER_ACCOUNT + " tokens; revoke one first.");
        }
        String token = Secrets.newToken(PREFIX);
        ApiToken t = db.apiTokens().create(p.id(), req.name().strip(), Secrets.sha256Hex(token), scopes);
        ctx.status(201).json(new CreatedJson(t.id(), t.name(), t.scopes(), t.createdAt(), token));
    }

    private void list(Context ctx) {
        Principal p = auth.require(ctx);
        ctx.json(Map.of("tokens", db.apiTokens().listForUser(p.id()).stream().map(TokenJson::of).toList()));
    }

    private void revoke(Context ctx) {
        Principal p = auth.require(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("There is no token " + ctx.pathParam("id") + ": token ids are numbers, see GET /api/tokens.");
        }
        if (!db.apiTokens().revoke(p.id(), id)) {
            throw ApiException.notFound("This account has no active token " + id + " (GET /api/tokens lists them).");
        }
        ctx.status(204);
    }
}
