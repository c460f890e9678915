package live.cascade.api;

import io.javalin.config.JavalinConfig;

/**
 * What {@code /} shows until the web app lands: a plain page that says the node is up and where the API is, so the
 * README's "open it" step leads somewhere true.
 */
final class Landing {
    private Landing() {
    }

    static void routes(JavalinConfig cfg) {
        cfg.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Cascade Live</title></head>
                <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
                <h1>Cascade Live</h1>
                <p>This node is running. The web app is not part of this build yet; the JSON API is at <code>/api</code>
                (see <code>docs/api.md</code>), health at <a href="/healthz">/healthz</a> and metrics at <a href="/metrics">/metrics</a>.</p>
                </body></html>
                """));
    }
}
