package live.cascade.api.ops;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes and metrics: {@code /livez} (the process answers; checks nothing, so a slow database never gets a live node
 * restarted), {@code /readyz} (one document of every registered {@link ReadinessComponent}; 503 only when the node
 * cannot take new sessions), {@code /healthz} (deprecated alias of {@code /readyz}, kept for existing checks) and
 * {@code /metrics} for Prometheus.
 */
public final class HealthResource {
    private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);
    private final String version;
    private final Clock clock;
    private final Instant started;
    private final List<ReadinessComponent> components;

    public HealthResource(String version, Clock clock, List<ReadinessComponent> components) {
        this.version = version;
        this.clock = clock;
        this.started = clock.instant();
        this.components = List.copyOf(components);
    }

    /** {@code metricsGate} runs before each {@code /metrics} answer and throws to refuse it (token, allow-list). */
    public void routes(JavalinConfig cfg, PrometheusMeterRegistry metrics, Handler metricsGate) {
        cfg.routes.get("/livez", this::live);
        cfg.routes.get("/readyz", this::ready);
        cfg.routes.get("/healthz", this::ready);
        cfg.routes.get("/metrics", ctx -> {
            metricsGate.handle(ctx);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
    }

    private void live(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("status", "ok", "version", version));
    }

    private void ready(Context ctx) {
        Report report = report();
        ctx.header("Cache-Control", "no-store");
        ctx.status(report.acceptsNewSessions() ? 200 : 503).json(report.body());
    }

    /** The readiness document and whether the node takes new sessions, as {@code /readyz} answers it. */
    public Report report() {
        boolean blocked = false;
        boolean degraded = false;
        Map<String, Object> parts = new LinkedHashMap<>();
        for (ReadinessComponent c : components) {
            Readiness r = checked(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", r.word());
            m.put("reason", r.reason());
            m.putAll(r.details());
            parts.put(c.name(), m);
            switch (r) {
                case Readiness.Ok ok -> { }
                case Readiness.Degraded d -> degraded = true;
                case Readiness.Down d -> {
                    if (c.neededForNewSessions()) blocked = true;
                    else degraded = true;
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", blocked ? "down" : degraded ? "degraded" : "ok");
        body.put("version", version);
        body.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        body.putAll(parts);
        return new Report(!blocked, body);
    }

    /** A component whose check throws is down with that error, so one bug cannot turn every probe into a 500. */
    private static Readiness checked(ReadinessComponent c) {
        try {
            return c.check();
        } catch (RuntimeException e) {
            LOG.warn("readiness check of {} failed", c.name(), e);
            return new Readiness.Down("The check failed: " + e, Map.of());
        }
    }

    public record Report(boolean acceptsNewSessions, Map<String, Object> body) {
    }
}
