package live.cascade.api.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.http.ApiException;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * CSRF defence for cookie sessions: a state-changing request that carries our session cookie and no Authorization
 * header must come from our own origin. Bearer-authenticated requests carry no ambient authority and pass; so do
 * the WHIP/WHEP URLs, which authenticate by stream key and are open to other origins by design, and the players' QoE
 * beacons and clients' relay reports, which authenticate nobody.
 */
public final class OriginGuard {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private OriginGuard() {
    }

    public static void install(JavalinConfig cfg) {
        cfg.routes.before("/api/*", ctx -> check(ctx));
    }

    static void check(Context ctx) {
        if (SAFE.contains(ctx.method().name())) return;
        if (ctx.path().startsWith("/api/whip") || ctx.path().startsWith("/api/whep")) return;
        // Players' QoE beacons use no session (the embed sends them from other sites' pages too) and change no data.
        if (ctx.path().equals("/api/qoe")) return;
        // A client's relay report: bound to a session id the caller must know, it authenticates nobody either.
        if (ctx.path().equals("/api/ice-servers/relay")) return;
        requireSameSiteForCookie(ctx);
    }

    /**
     * 403 unless a request that authenticates by our session cookie (and not by a header) comes from our own origin.
     * Also used on WebSocket upgrades, which are GETs a foreign page can open with the visitor's cookie.
     */
    public static void requireSameSiteForCookie(Context ctx) {
        if (ctx.header("Authorization") != null) return;
        String cookie = ctx.cookie(Authenticator.COOKIE);
        if (cookie == null || cookie.isEmpty()) return;
        String source = ctx.header("Origin");
        if (source == null || source.equals("null")) source = ctx.header("Referer");
        String host = ctx.header("Host");
        if (source == null || host == null || !host.equalsIgnoreCase(authority(source))) {
            throw ApiException.forbidden("This request came from another site (Origin " + (source == null ? "missing" : source)
                    + "); cookie-authenticated changes are accepted only from this site. API clients should send Authorization: Bearer <token>.");
        }
    }

    private static String authority(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) return "";
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return u.getPort() < 0 ? host : host + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
