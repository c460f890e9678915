package live.cascade.api.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.UserJson;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The browser app, served by the API process itself: static ES modules under {@code /static/}, and the page shell
 * on each of the app's routes, where the client-side router takes over. Only these routes fall back to the shell;
 * {@code /api}, {@code /hls}, the probes and {@code /metrics} stay what they are, and an unknown path is still a
 * problem document.
 */
public final class WebApp {
    /** The routes the client-side router knows (webapp/js/router.js keeps the same list). */
    static final List<String> APP_ROUTES = List.of("/", "/login", "/signup", "/forgot-password",
            "/reset-password", "/studio", "/dashboard", "/c/{slug}",
            "/category/{name}", "/terms", "/privacy", "/appeal", "/dmca/{id}", "/accept-terms");
    static final String EMBED_ROUTE = "/embed/{slug}";

    private final Authenticator auth;
    private final String version;
    private final StaticAssets assets;
    private final PageShell app;
    private final PageShell embed;

    /** Origin of the object store viewers fetch recordings from (presigned URLs), allowed in the pages' CSP; "" when none. */
    private String mediaOrigin = "";
    /** The fleet's node base URLs ({@link #allowFleet}), and the origins last read from them, with when. */
    private java.util.function.Supplier<List<String>> fleet = List::of;
    private volatile String fleetOrigins = "";
    private volatile long fleetReadAt = Long.MIN_VALUE;

    public WebApp(Authenticator auth, String version) {
        this(auth, version, AssetSource.fromEnvironment());
    }

    WebApp(Authenticator auth, String version, AssetSource source) {
        this.auth = auth;
        this.version = version;
        this.assets = new StaticAssets(source);
        this.app = new PageShell(source, "index.html");
        this.embed = new PageShell(source, "embed.html");
    }

    /**
     * Lets the pages load recordings and posters from {@code origin} (an object store's public origin, where VOD
     * requests are redirected), which the Content-Security-Policy would otherwise block.
     */
    public WebApp allowMediaFrom(String origin) {
        if (!origin.matches("https?://[A-Za-z0-9.:\\[\\]-]+")) throw new IllegalArgumentException("not an origin: " + origin);
        this.mediaOrigin = origin;
        return this;
    }

    /**
     * Lets the pages' players connect to the fleet's other nodes ({@code nodes}: their base URLs), where a player
     * plays from when its own node stops answering (WHEP and its events are open to any origin; the page's CSP is
     * not). Read at most every 2 s (the registry's heartbeat), not per page.
     */
    public WebApp allowFleet(java.util.function.Supplier<List<String>> nodes) {
        this.fleet = nodes;
        return this;
    }

    private String fleetOrigins() {
        long now = System.nanoTime();
        if (fleetReadAt != Long.MIN_VALUE && now - fleetReadAt < 2_000_000_000L) return fleetOrigins;
        fleetReadAt = now;
        StringBuilder out = new StringBuilder();
        for (String url : fleet.get()) {
            try {
                java.net.URI u = java.net.URI.create(url);
                String origin = u.getScheme() + "://" + u.getRawAuthority();
                if (origin.matches("https?://[A-Za-z0-9.:\\[\\]-]+") && out.indexOf(" " + origin) < 0) out.append(' ').append(origin);
            } catch (IllegalArgumentException e) {
                // not a URL: leave it out
            }
        }
        fleetOrigins = out.toString();
        return fleetOrigins;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/static/<path>", assets::serve);
        for (String route : APP_ROUTES) cfg.routes.get(route, ctx -> page(ctx, app, false));
        cfg.routes.get(EMBED_ROUTE, ctx -> page(ctx, embed, true));
    }

    private void page(Context ctx, PageShell shell, boolean embeddable) {
        Map<String, Object> boot = new HashMap<>();
        boot.put("user", auth.current(ctx).map(p -> UserJson.of(p.user(), true)).orElse(null));
        boot.put("version", version);
        SecurityHeaders.page(ctx, embeddable, mediaOrigin, fleetOrigins());
        // The shell names the signed-in user: never let a shared cache keep it.
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8").result(shell.render(boot));
    }
}
