package live.cascade.api.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * After each request: one latency observation per route template and status (never the raw path, which would
 * explode the label set), and for state-changing requests one structured audit line.
 */
public final class HttpObservability {
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final MeterRegistry registry;
    private final Function<Context, String> userOf;

    public HttpObservability(MeterRegistry registry, Function<Context, String> userOf) {
        this.registry = registry;
        this.userOf = userOf;
    }

    public void onRequestDone(Context ctx, Float millis) {
        String method = ctx.method().name();
        String route = route(ctx);
        int status = ctx.statusCode();
        Timer.builder("http_server_requests")
                .description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
        if (STATE_CHANGING.contains(method)) {
            AUDIT.info("audit user={} method={} route={} path={} status={} ip={} ms={}",
                    userOf.apply(ctx), method, route, ctx.path(), status, ClientAddress.of(ctx), String.format("%.1f", millis));
        }
    }

    static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoint();
            if (e != null && e.path != null && !e.path.isEmpty()) return e.path;
        } catch (RuntimeException ignored) {
            // No endpoint matched (404): fall through to the fixed label.
        }
        return "unmatched";
    }
}
