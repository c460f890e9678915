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

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/static/<path>", assets::serve);
        for (String route : APP_ROUTES) cfg.routes.get(route, ctx -> page(ctx, app, false));
        cfg.routes.get(EMBED_ROUTE, ctx -> page(ctx, embed, true));
    }

    private void page(Context ctx, PageShell shell, boolean embeddable) {
        Map<String, Object> boot = new HashMap<>();
        boot.put("user", auth.current(ctx).map(p -> UserJson.of(p.user(), true)).orElse(null));
        boot.put("version", version);
        SecurityHeaders.page(ctx, embeddable, mediaOrigin);
        // The shell names the signed-in user: never let a shared cache keep it.
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8").result(shell.render(boot));
    }
}
