package live.cascade.api.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.http.ApiException;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Refuses an API-token request whose token lacks the scope its route needs, before the route runs: administration
 * ({@code /api/admin}, suspend, restore, takedown) needs {@code admin}; other GET and HEAD need {@code read}; bans,
 * moderators, resolving reports, chat settings and deleting chat messages need {@code moderate}; every other change
 * needs {@code stream}. Tokens never manage tokens ({@code /api/tokens}). The routes' own checks still apply (an
 * admin-scoped token of a non-administrator is not an administrator).
 */
public final class ScopeGuard {
    private ScopeGuard() {
    }

    public static void install(JavalinConfig cfg, Authenticator auth) {
        cfg.routes.before("/api/*", ctx -> check(ctx, auth));
    }

    static void check(Context ctx, Authenticator auth) {
        String header = ctx.header("Authorization");
        // Only token requests pay for the look-up here; sessions are resolved by the routes that need them.
        if (header == null || !header.regionMatches(true, 0, "Bearer " + ApiTokens.PREFIX, 0, 7 + ApiTokens.PREFIX.length())) return;
        Optional<Principal> p = auth.current(ctx);
        if (p.isEmpty() || !p.get().viaApiToken()) return;
        String path = ctx.path();
        String method = ctx.method().name();
        if (path.startsWith("/api/tokens")) {
            throw ApiException.forbidden("API tokens are created and revoked from a login session, not with another token.");
        }
        Scope needed = required(method, path);
        if (!p.get().scopes().contains(needed)) {
            String has = p.get().scopes().stream().map(Scope::label).sorted().collect(Collectors.joining(", "));
            throw ApiException.forbidden(method + " " + path + " needs an API token with the '" + needed.label()
                    + "' scope; this one has: " + (has.isEmpty() ? "none" : has) + ". Create a token with that scope.");
        }
    }

    static Scope required(String method, String path) {
        if (path.startsWith("/api/admin") || path.endsWith("/suspend") || path.endsWith("/restore") || path.endsWith("/takedown")) {
            return Scope.ADMIN;
        }
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) return Scope.READ;
        if (path.contains("/bans") || path.contains("/moderators/") || path.contains("/reports/") || path.endsWith("/chat/settings")
                || (method.equals("DELETE") && path.matches("/api/channels/[^/]+/chat/[^/]+"))) {
            return Scope.MODERATE;
        }
        return Scope.STREAM;
    }
}
