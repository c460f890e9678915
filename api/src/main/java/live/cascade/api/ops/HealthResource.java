package live.cascade.api.ops;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /healthz} for load balancers and people, {@code /metrics} for Prometheus. */
public final class HealthResource {
    private final Database db;
    private final String version;
    private final Clock clock;
    private final Instant started;

    public HealthResource(Database db, String version, Clock clock) {
        this.db = db;
        this.version = version;
        this.clock = clock;
        this.started = clock.instant();
    }

    public void routes(JavalinConfig cfg, PrometheusMeterRegistry metrics) {
        cfg.routes.get("/healthz", this::health);
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }

    private void health(Context ctx) {
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("kind", db.kind());
        boolean up;
        try {
            Duration took = db.ping();
            database.put("status", "up");
            database.put("latencyMs", took.toMillis());
            up = true;
        } catch (RuntimeException e) {
            database.put("status", "down");
            database.put("detail", e.getMessage());
            up = false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "down");
        body.put("version", version);
        body.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        body.put("database", database);
        ctx.header("Cache-Control", "no-store");
        ctx.status(up ? 200 : 503).json(body);
    }
}
