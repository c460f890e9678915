package live.cascade.whipwhep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.sfu.routing.IngestTrackStats;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.LayerChoice;
import live.cascade.signaling.session.SessionInfo;

import java.util.List;

/**
 * The WHEP layer-selection extension ({@code urn:ietf:params:whep:ext:core:layer}): {@code POST} a JSON object
 * {@code {"mediaId": "1", "encodingId": "h"}} to pin the video to that simulcast layer; {@code {}}, an empty body or
 * {@code "encodingId": null} goes back to the node's choice from the viewer's bandwidth. Our own member
 * {@code "maxHeight": 360} caps that choice (a small player window needs no 1080p). Also the {@code layers}
 * event's body, which lists what can be pinned.
 */
final class WhepLayers {
    static final String REL = "urn:ietf:params:whep:ext:core:layer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BroadcastService service;

    WhepLayers(BroadcastService service) {
        this.service = service;
    }

    void select(Context ctx, SessionInfo session) {
        String body = ctx.body().strip();
        String mediaId = null;
        String rid = null;
        int maxHeight = 0;
        if (!body.isEmpty()) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new WhipWhepException(400, "Bad Request", "The body is not JSON; send {\"mediaId\":\"1\",\"encodingId\":\"<rid>\"}, or {} for automatic.");
            }
            if (json == null || !json.isObject()) {
                throw new WhipWhepException(400, "Bad Request", "Send a JSON object: {\"mediaId\":\"1\",\"encodingId\":\"<rid>\"}, or {} for automatic.");
            }
            mediaId = text(json, "mediaId");
            rid = text(json, "encodingId");
            JsonNode cap = json.get("maxHeight");
            if (cap != null && !cap.isNull()) {
                if (!cap.canConvertToInt() || cap.asInt() < 0) {
                    throw new WhipWhepException(400, "Bad Request", "'maxHeight' must be a picture height in pixels, e.g. \"maxHeight\":360, or 0 for no cap.");
                }
                maxHeight = cap.asInt();
            }
        }
        switch (service.selectLayer(session.id(), mediaId, rid, maxHeight)) {
            case LayerChoice.Applied a -> ctx.status(200);
            case LayerChoice.NoSession n -> throw new WhipWhepException(404, "Not Found", "WHEP session " + session.id() + " has ended.");
            case LayerChoice.NotSimulcast n -> throw new WhipWhepException(409, "Conflict", "Cannot choose a layer: " + n.detail() + ".");
            case LayerChoice.UnknownLayer u -> throw new WhipWhepException(422, "Unprocessable Content",
                    "This stream has no layer '" + u.rid() + "'; its layers are " + String.join(", ", u.layers())
                            + " (see the layers event), or send {} for automatic.");
        }
    }

    /** A string member, null when absent or JSON null; anything else is refused. */
    private static String text(JsonNode json, String name) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isNumber()) return n.asText(); // "mediaId": 1 is the m-line index some players send as a number
        throw new WhipWhepException(400, "Bad Request", "'" + name + "' must be a string, e.g. \"" + name + "\":\"1\".");
    }

    /**
     * The {@code layers} event's data: under the session's video media id, the simulcast layers best first (by the
     * node's measurement, not by name), as {@code layers} (what can be pinned) and split into {@code active} and
     * {@code inactive}. Null when the stream is not simulcast.
     */
    static String layersEvent(String mediaId, IngestStats stats) {
        List<IngestTrackStats> layers = stats.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO && t.isLayer()).toList();
        if (layers.isEmpty() || mediaId == null) return null;
        ObjectNode root = JSON.createObjectNode();
        ObjectNode media = root.putObject(mediaId);
        ArrayNode all = media.putArray("layers");
        ArrayNode active = media.putArray("active");
        ArrayNode inactive = media.putArray("inactive");
        for (IngestTrackStats t : layers) {
            boolean on = t.lastPacketAgeMillis() >= 0 && t.lastPacketAgeMillis() < 2000;
            ObjectNode l = all.addObject().put("encodingId", t.rid());
            ObjectNode a = (on ? active : inactive).addObject().put("id", t.rid());
            for (ObjectNode o : List.of(l, a)) {
                if (t.width() > 0) o.put("width", t.width()).put("height", t.height());
                if (on && t.mediaBitrate() >= 0) o.put("bitrate", t.mediaBitrate());
            }
        }
        return root.toString();
    }
}
