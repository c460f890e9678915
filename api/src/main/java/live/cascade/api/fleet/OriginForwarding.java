package live.cascade.api.fleet;

import io.javalin.http.Context;
import live.cascade.api.cluster.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Answers a GET about a channel with the origin node's own answer, for what only the origin knows (its publisher's
 * stream health). The caller's credentials (Authorization, Cookie) go along: the origin checks them itself, with the
 * same database; nodes of one deployment trust each other's network, as they share its database and secret.
 */
public final class OriginForwarding {
    private static final Logger LOG = LoggerFactory.getLogger(OriginForwarding.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final LongFunction<Optional<NodeInfo>> origin;

    public OriginForwarding(LongFunction<Optional<NodeInfo>> origin) {
        this.origin = origin;
    }

    /** True when the request was answered from the origin (whatever it said); false when there is no other origin. */
    public boolean forward(long channelId, Context ctx) {
        Optional<NodeInfo> node = origin.apply(channelId);
        if (node.isEmpty()) return false;
        String query = ctx.queryString();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(node.get().httpUrl() + ctx.path()
                + (query == null || query.isEmpty() ? "" : "?" + query))).timeout(Duration.ofSeconds(5)).GET();
        for (String h : new String[]{"Authorization", "Cookie"}) {
            String v = ctx.header(h);
            if (v != null) req.header(h, v);
        }
        try {
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            ctx.status(r.statusCode());
            r.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
            ctx.header("Cache-Control", "no-store");
            ctx.result(r.body());
            return true;
        } catch (IOException e) {
            LOG.warn("origin {} did not answer {}: {}", node.get().id(), ctx.path(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
