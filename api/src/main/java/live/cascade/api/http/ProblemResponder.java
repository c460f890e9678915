package live.cascade.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.db.DatabaseUnavailableException;
import live.cascade.whipwhep.WhipWhepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Turns every failure into an RFC 9457 problem document, in one place. Client errors are logged once at debug (the
 * audit line already records them); server errors once with their stack trace. A request that failed because the
 * database is unreachable gets 503 with {@code Retry-After}: the client did nothing wrong and waiting helps. That is
 * logged once per outage (by {@link DatabaseOutage}), not once per request.
 */
public final class ProblemResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);

    private ProblemResponder() {
    }

    public static void install(JavalinConfig cfg, DatabaseOutage outage) {
        cfg.routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        cfg.routes.exception(DatabaseUnavailableException.class, (e, ctx) -> databaseUnavailable(ctx, e, outage));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, fromJavalin(e)));
        cfg.routes.exception(WhipWhepException.class, (e, ctx) -> {
            ApiException api = new ApiException(e.status(), e.title(), e.getMessage());
            e.headers().forEach(api::header);
            respond(ctx, api);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            if (DatabaseOutage.isUnreachable(e)) {
                databaseUnavailable(ctx, e, outage);
                return;
            }
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, new ApiException(500, "Internal Server Error",
                    "The server failed to handle this request; it has been logged. Try again later."));
        });
        // Requests no route matched (or that matched a path but not the method) still get a problem document.
        cfg.routes.error(404, ctx -> {
            if (!isProblem(ctx)) respond(ctx, ApiException.notFound("Nothing lives at " + ctx.path() + "."));
        });
        // Javalin answers a body that stopped arriving (the idle timeout struck while reading it) with a bare 408.
        cfg.routes.error(408, ctx -> {
            if (!isProblem(ctx)) respond(ctx, new ApiException(408, "Request Timeout",
                    "The rest of the request body did not arrive in time, so the request was abandoned; send the body without pauses."));
        });
        cfg.routes.error(405, ctx -> {
            if (!isProblem(ctx)) respond(ctx, new ApiException(405, "Method Not Allowed", ctx.method() + " is not supported on " + ctx.path() + "."));
        });
    }

    private static void databaseUnavailable(Context ctx, Exception e, DatabaseOutage outage) {
        outage.reportDown(ctx.method() + " " + ctx.path(), e);
        respond(ctx, unavailable());
    }

    /** The answer to a request that needs the database while it is unreachable. */
    public static ApiException unavailable() {
        return new ApiException(503, "Service Unavailable", "The database is unreachable for a moment, so this request cannot be "
                + "served now. Live streams keep playing. Try again in a few seconds.")
                .header("Retry-After", Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()));
    }

    private static boolean isProblem(Context ctx) {
        String ct = ctx.res().getContentType();
        return ct != null && ct.startsWith(Problem.MEDIA_TYPE);
    }

    private static ApiException fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> new ApiException(413, "Content Too Large", "The request body is larger than this server accepts; send a smaller one.");
            case 404 -> ApiException.notFound(e.getMessage());
            case 405 -> new ApiException(405, "Method Not Allowed", e.getMessage());
            default -> new ApiException(e.getStatus(), reason(e.getStatus()), e.getMessage() == null ? reason(e.getStatus()) : e.getMessage());
        };
    }

    private static String reason(int status) {
        String name = io.javalin.http.HttpStatus.forStatus(status).getMessage();
        return name.isEmpty() ? "Error " + status : name;
    }

    /**
     * Writes the problem document to the wire at once, for the one place Javalin never writes a result: a refused
     * WebSocket upgrade. A later {@link #respond} on the same request changes nothing (the response is committed).
     */
    public static void commit(Context ctx, ApiException e) {
        respond(ctx, e);
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(new Problem(e.type(), e.title(), e.status(), e.getMessage(), e.errors()));
            ctx.res().setContentLength(body.length);
            ctx.res().getOutputStream().write(body);
            ctx.res().flushBuffer();
        } catch (java.io.IOException ex) {
            // The client went away while being refused; nothing is lost.
            LOG.debug("could not write the refusal of {} {}: {}", ctx.method(), ctx.path(), ex.toString());
        }
    }

    public static void respond(Context ctx, ApiException e) {
        Problem p = new Problem(e.type(), e.title(), e.status(), e.getMessage(), e.errors());
        e.headers().forEach(ctx::header);
        ctx.status(e.status());
        if ("HEAD".equals(ctx.method().name().toUpperCase(Locale.ROOT))) return;
        try {
            ctx.contentType(Problem.MEDIA_TYPE).result(Json.MAPPER.writeValueAsString(p));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        if (e.status() >= 500) return;
        LOG.debug("{} {} -> {} {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
    }
}
