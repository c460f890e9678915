package live.cascade.whipwhep;

import static live.cascade.whipwhep.ServerSentEvents.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;
import live.cascade.signaling.session.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The WHEP server-sent-events extension ({@code urn:ietf:params:whep:ext:core:server-sent-events}): the player
 * {@code POST}s the JSON list of events it wants to the extension's URL and gets {@code 201} with the
 * {@code Location} of its event stream, which it reads with {@code GET} (an {@code EventSource}). Events:
 * {@code active} and {@code inactive} (the publisher is sending or not), {@code layers} (the simulcast layers, see
 * {@link WhepLayers#layersEvent}), {@code viewercount} and {@code reconnect} (this session ended while the channel
 * is still live: make a new one). Each event is sent when what it reports changes; the stream reads the broadcast's
 * state once per {@link #POLL} on the request's own (virtual) thread and ends with the session.
 */
final class WhepEvents {
    static final String REL = "urn:ietf:params:whep:ext:core:server-sent-events";
    static final List<String> EVENTS = List.of("active", "inactive", "layers", "viewercount", "reconnect");
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(WhepEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BroadcastService service;
    /** True once this node drains (issue 21): every open event stream says {@code reconnect} and ends. */
    private volatile java.util.function.BooleanSupplier draining = () -> false;

    WhepEvents(BroadcastService service) {
        this.service = service;
    }

    void drainingWhen(java.util.function.BooleanSupplier draining) {
        this.draining = draining;
    }

    /** The value of the Link header advertising this extension for a session at {@code base}. */
    static String link(String base) {
        return "<" + base + "/sse>; rel=\"" + REL + "\"; events=\"" + String.join(",", EVENTS) + "\"";
    }

    /** {@code POST …/sse}: the events wanted, as a JSON array of names; answers the stream's Location. */
    void subscribe(Context ctx, String base) {
        Set<String> wanted = new LinkedHashSet<>();
        String body = ctx.body().strip();
        JsonNode json;
        try {
            json = body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isArray()) {
            throw new WhipWhepException(400, "Bad Request", "Send the events you want as a JSON array, e.g. [\"active\",\"layers\",\"viewercount\"]; this resource offers "
                    + String.join(", ", EVENTS) + ".");
        }
        List<String> unknown = new ArrayList<>();
        for (JsonNode n : json) {
            String e = n.asText();
            if (EVENTS.contains(e)) wanted.add(e);
            else unknown.add(n.toString());
        }
        if (!unknown.isEmpty() || wanted.isEmpty()) {
            throw new WhipWhepException(422, "Unprocessable Content", (unknown.isEmpty() ? "No event asked for" : "Unknown event "
                    + String.join(", ", unknown)) + "; this resource offers " + String.join(", ", EVENTS) + ".");
        }
        ctx.status(201);
        ctx.header("Location", base + "/sse/stream?events=" + URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8));
    }

    /** {@code GET …/sse/stream}: the event stream itself, until the session ends or the player goes away. */
    void stream(Context ctx, SessionInfo session) throws IOException {
        String param = Objects.requireNonNullElse(ctx.queryParam("events"), String.join(",", EVENTS));
        Set<String> wanted = new LinkedHashSet<>(List.of(param.split(",")));
        ServerSentEvents sse = ServerSentEvents.open(ctx);
        Optional<String> mediaId = service.videoMid(session.id());
        long channelId = session.channel().id();
        Boolean active = null;
        int viewers = -1;
        String layers = null;
        try {
            sse.comment("cascade live events");
            while (true) {
                if (draining.getAsBoolean()) {
                    // The player goes to another node of the channel (its /edges list) before this one closes it.
                    if (wanted.contains("reconnect")) sse.send(event("reconnect", "{}"));
                    return;
                }
                if (service.session(session.id()).isEmpty()) {
                    if (wanted.contains("reconnect") && service.state(channelId).map(s -> s.phase() == BroadcastState.Phase.LIVE).orElse(false)) {
                        sse.send(event("reconnect", "{}"));
                    }
                    return;
                }
                Optional<BroadcastState> state = service.state(channelId);
                boolean live = state.map(s -> s.phase() == BroadcastState.Phase.LIVE).orElse(false);
                StringBuilder batch = new StringBuilder();
                // No initial "inactive": only a change from active is news (per the extension's text).
                if ((active == null && live) || (active != null && active != live)) {
                    String name = live ? "active" : "inactive";
                    if (wanted.contains(name)) batch.append(event(name, "{}"));
                }
                active = live;
                int count = state.map(BroadcastState::viewers).orElse(0);
                if (count != viewers && wanted.contains("viewercount")) batch.append(event("viewercount", "{\"viewercount\":" + count + "}"));
                viewers = count;
                if (wanted.contains("layers")) {
                    String now = service.ingestStats(channelId).map(s -> WhepLayers.layersEvent(mediaId.orElse(null), s)).orElse(null);
                    if (now != null && !sameLayers(now, layers)) batch.append(event("layers", now));
                    if (now != null) layers = now;
                }
                sse.send(batch.toString());
                Thread.sleep(POLL);
            }
        } catch (IOException e) {
            LOG.debug("WHEP event stream of session {} closed by the player: {}", session.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Layer lists differ in what a player shows (names, sizes, active or not), not in every bitrate wobble. */
    private static boolean sameLayers(String a, String b) {
        return b != null && a.replaceAll(",?\"bitrate\":\\d+", "").equals(b.replaceAll(",?\"bitrate\":\\d+", ""));
    }
}
