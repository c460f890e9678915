package live.cascade.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Resolves the caller from {@code Authorization: Bearer <session token>} (or an API token, {@code cat_…}, with its
 * scopes) or the HttpOnly {@code cascade_session} cookie, once per request, and issues and clears session cookies.
 */
public final class Authenticator {
    public static final String COOKIE = "cascade_session";
    private static final String ATTR = "cascade.principal";
    private static final Optional<Principal> NONE = Optional.empty();
    /** A token's last use is written at most this often, so a busy script does not write on every request. */
    private static final Duration TOKEN_TOUCH_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final Clock clock;
    private final boolean secureCookies;
    private final Duration sessionTtl;

    public Authenticator(Database db, Clock clock, boolean secureCookies, Duration sessionTtl) {
        this.db = db;
        this.clock = clock;
        this.secureCookies = secureCookies;
        this.sessionTtl = sessionTtl;
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** The caller, if the request carries a valid session token; an invalid token counts as none. */
    public Optional<Principal> current(Context ctx) {
        Optional<Principal> cached = ctx.attribute(ATTR);
        if (cached != null) return cached;
        Optional<Principal> p = resolve(ctx);
        ctx.attribute(ATTR, p);
        return p;
    }

    private Optional<Principal> resolve(Context ctx) {
        String header = ctx.header("Authorization");
        // Said plainly rather than treated as "no token": a client sending one this long has a bug to fix.
        if (header != null && header.length() > CredentialLimits.TOKEN + 7) {
            throw ApiException.badRequest("The Authorization header is " + header.length() + " characters long; a session token is at most "
                    + CredentialLimits.TOKEN + ".");
        }
        return authenticate(header, ctx.cookie(COOKIE));
    }

    /**
     * The caller named by an {@code Authorization} header value or else a session cookie value (either may be null),
     * for places that have no {@link Context}, such as an open WebSocket.
     */
    public Optional<Principal> authenticate(String authorizationHeader, String sessionCookie) {
        String header = authorizationHeader;
        String token;
        boolean viaCookie = false;
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) return NONE;
            token = header.substring(7).strip();
        } else {
            token = sessionCookie;
            viaCookie = true;
        }
        if (token == null || token.isEmpty() || token.length() > CredentialLimits.TOKEN) return NONE;
        String hash = Secrets.sha256Hex(token);
        if (token.startsWith(ApiTokens.PREFIX)) return viaCookie ? NONE : apiToken(hash);
        boolean cookie = viaCookie;
        return db.sessions().findValid(hash, clock.instant())
                .filter(s -> !s.user().suspended())
                .map(s -> new Principal(s.user(), hash, cookie));
    }

    /** The caller an API token names, with the token's scopes; its last use is written at most once a minute. */
    private Optional<Principal> apiToken(String hash) {
        return db.apiTokens().findValid(hash)
                .filter(a -> !a.user().suspended())
                .map(a -> {
                    Instant now = clock.instant();
                    if (a.token().lastUsedAt().map(last -> last.plus(TOKEN_TOUCH_EVERY).isBefore(now)).orElse(true)) {
                        db.apiTokens().touch(a.token().id(), now);
                    }
                    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                    for (String s : a.token().scopes()) Scope.of(s).ifPresent(scopes::add);
                    return new Principal(a.user(), hash, false, scopes, OptionalLong.of(a.token().id()));
                });
    }

    /** The caller, or 401 with a sentence saying how to authenticate. */
    public Principal require(Context ctx) {
        return current(ctx).orElseThrow(() -> ApiException.unauthorized(
                "Log in first: send Authorization: Bearer <session token> or the cascade_session cookie.")
                .header("WWW-Authenticate", "Bearer realm=\"cascade\""));
    }

    public Principal requireAdmin(Context ctx) {
        Principal p = require(ctx);
        if (!p.isAdmin()) throw ApiException.forbidden("Only an administrator can do this.");
        return p;
    }

    /** Creates a login session and returns its token; the cookie is set too, for browsers. */
    public String startSession(Context ctx, long userId) {
        String token = Secrets.newToken("cls_");
        Instant now = clock.instant();
        String ua = ctx.userAgent();
        if (ua != null && ua.length() > 256) ua = ua.substring(0, 256);
        db.sessions().create(userId, Secrets.sha256Hex(token), now.plus(sessionTtl), ClientAddress.of(ctx), ua);
        setCookie(ctx, token, sessionTtl);
        return token;
    }

    public void clearCookie(Context ctx) {
        setCookie(ctx, "", Duration.ZERO);
    }

    private void setCookie(Context ctx, String value, Duration maxAge) {
        Cookie c = new Cookie(COOKIE, value);
        c.setHttpOnly(true);
        c.setSameSite(SameSite.LAX);
        c.setSecure(secureCookies || ClientAddress.viaHttps(ctx));
        c.setPath("/");
        c.setMaxAge((int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds()));
        ctx.cookie(c);
    }

    /** The name the audit log records for the caller of a request. */
    public String auditName(Context ctx) {
        Optional<Principal> cached = ctx.attribute(ATTR);
        if (cached == null) return "-";
        return cached.map(p -> p.user().id() + ":" + p.user().username()).orElse("-");
    }
}
