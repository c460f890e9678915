package live.cascade.whipwhep;

import io.javalin.http.Context;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Pausing unconsumed simulcast layers at the publisher, for a WHIP client that can (the web studio; WHIP itself has no
 * such message, so other clients are unaffected): {@code GET} on the WHIP session's {@code /layers} (advertised by a
 * {@code Link} with {@link #REL}, authorised by the stream key like every WHIP request) is a server-sent event stream
 * whose {@code layers} events, {@code {"paused":["q"]}}, name the layers (rids) nobody on this node consumes now: the
 * client sets those encodings inactive and every other one active. While the stream is open the node counts on that
 * (a paused layer stays choosable and choosing it brings it back); once it closes, it no longer does.
 */
final class WhipLayerEvents {
    static final String REL = "urn:cascade:whip:ext:layer-pausing";
    /** A viewer that needs a paused layer waits for this poll, the client's setParameters and the layer's keyframe. */
    static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(WhipLayerEvents.class);

    private final BroadcastService service;
    private final java.util.function.BooleanSupplier closing;

    /** @param closing true once the node stops: the stream ends (the HTTP server waits for it otherwise) */
    WhipLayerEvents(BroadcastService service, java.util.function.BooleanSupplier closing) {
        this.service = service;
        this.closing = closing;
    }

    static String link(String sessionPath) {
        return "<" + sessionPath + "/layers>; rel=\"" + REL + "\"";
    }

    /** The event stream, until the session ends, it stops being the channel's publisher, or the client goes away. */
    void stream(Context ctx, SessionInfo session) throws IOException {
        if (!service.publisherPausesLayers(session.id(), true)) {
            throw new WhipWhepException(409, "Conflict", "WHIP session " + session.id()
                    + " is not publishing its channel (it ended or was replaced); publish again.");
        }
        ServerSentEvents sse = ServerSentEvents.open(ctx);
        List<String> sent = null;
        try {
            sse.comment("cascade layer pausing");
            while (!closing.getAsBoolean()) {
                Optional<List<String>> paused = service.pausedLayers(session.id());
                if (paused.isEmpty()) return;
                String news = "";
                if (!paused.get().equals(sent)) {
                    sent = paused.get();
                    news = ServerSentEvents.event("layers", "{\"paused\":" + json(sent) + "}");
                }
                sse.send(news);
                Thread.sleep(POLL);
            }
        } catch (IOException e) {
            LOG.debug("WHIP layer stream of session {} closed by the client: {}", session.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            service.publisherPausesLayers(session.id(), false);
        }
    }

    /** Rids are token characters (RFC 8851), so quoting is all a JSON string of one needs. */
    private static String json(List<String> rids) {
        StringBuilder b = new StringBuilder("[");
        for (String r : rids) b.append(b.length() > 1 ? "," : "").append('"').append(r).append('"');
        return b.append(']').toString();
    }
}
