package live.cascade.api.acme;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import live.cascade.api.http.ApiException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The plain-HTTP side of ACME: answers {@code GET /.well-known/acme-challenge/{token}} with the key authorization of a
 * challenge under way (RFC 8555 section 8.3), and, once a certificate from the CA is served, redirects every other
 * request that arrived on the challenge port to https (308, so a POST stays a POST). Before that the port serves the
 * node as it is, so a node whose first certificate is late is still reachable.
 */
final class Http01Responder {
    static final String PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final List<String> domains;

    Http01Responder(List<String> domains) {
        this.domains = domains;
    }

    void put(String token, String keyAuthorization) {
        pending.put(token, keyAuthorization);
    }

    void remove(String token) {
        pending.remove(token);
    }

    /**
     * @param challengePort the bound port of the plain-HTTP connector (0 until it listens)
     * @param httpsPort     the bound port of the HTTPS connector, for the redirect
     * @param redirect      whether to redirect now (a CA certificate is served)
     */
    void routes(JavalinConfig cfg, IntSupplier challengePort, IntSupplier httpsPort, BooleanSupplier redirect) {
        cfg.routes.before(ctx -> {
            if (ctx.path().startsWith(PREFIX) || !redirect.getAsBoolean()) return;
            if (ctx.req().getLocalPort() != challengePort.getAsInt()) return;
            ctx.header("Location", httpsUrl(ctx, httpsPort.getAsInt()));
            ctx.status(HttpStatus.PERMANENT_REDIRECT);
            ctx.skipRemainingHandlers();
        });
        cfg.routes.get(PREFIX + "{token}", ctx -> {
            String answer = pending.get(ctx.pathParam("token"));
            if (answer == null) throw ApiException.notFound("No ACME challenge with this token is under way on this node.");
            ctx.contentType("text/plain").result(answer);
        });
    }

    /** The same path on https, under the Host the client asked for if it is one of ours (never another one's name). */
    private String httpsUrl(Context ctx, int port) {
        String host = ctx.host() == null ? "" : ctx.host().toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        if (!domains.contains(host)) host = domains.get(0);
        String query = ctx.queryString();
        return "https://" + host + (port == 443 ? "" : ":" + port) + ctx.path() + (query == null ? "" : "?" + query);
    }
}
