package live.cascade.api.ops;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /healthz} for load balancers and people, {@code /metrics} for Prometheus. */
public final class HealthResource {
    private final Database db;
    private final String version;
    private final Clock clock;
    private final Instant started;
    private final List<HealthIndicator> components;

    public HealthResource(Database db, String version, Clock clock) {
        this(db, version, clock, List.of());
    }

    public HealthResource(Database db, String version, Clock clock, List<HealthIndicator> components) {
        this.db = db;
        this.version = version;
        this.clock = clock;
        this.started = clock.instant();
        this.components = List.copyOf(components);
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
        // Without the database nothing works (503); without another component the node serves with less (degraded).
        boolean degraded = false;
        Map<String, Map<String, Object>> others = new LinkedHashMap<>();
        for (HealthIndicator c : components) {
            HealthIndicator.Check check = c.check();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", check.status().name().toLowerCase(java.util.Locale.ROOT));
            m.putAll(check.details());
            others.put(c.name(), m);
            degraded |= check.status() == HealthIndicator.Status.DOWN;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !up ? "down" : degraded ? "degraded" : "ok");
        body.put("version", version);
        body.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        body.put("database", database);
        body.putAll(others);
        ctx.header("Cache-Control", "no-store");
        ctx.status(up ? 200 : 503).json(body);
    }
}
