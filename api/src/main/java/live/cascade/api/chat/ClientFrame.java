package live.cascade.api.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.http.Json;

/** The frames a client may send on a chat socket (docs/chat.md), and the reading of one from text. */
sealed interface ClientFrame {

    /** {@code ref} is the client's own id for the frame, echoed in the answer; optional, at most 64 characters. */
    record SendMessage(String text, String ref) implements ClientFrame {
    }

    record Ping(String ref) implements ClientFrame {
    }

    /** A frame that could not be read, as the error frame that answers it. */
    record Invalid(ChatError error, String message, String ref) implements ClientFrame {
    }

    int MAX_REF = 64;

    static ClientFrame parse(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new Invalid(ChatError.INVALID_JSON, "That frame is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (node == null || !node.isObject()) {
            return new Invalid(ChatError.INVALID_JSON, "A frame must be a JSON object such as {\"type\":\"message\",\"text\":\"hi\"}.", null);
        }
        JsonNode refNode = node.get("ref");
        String ref = null;
        if (refNode != null && !refNode.isNull()) {
            if (!refNode.isTextual() || refNode.asText().length() > MAX_REF) {
                return new Invalid(ChatError.INVALID_JSON, "\"ref\" must be a string of at most " + MAX_REF + " characters.", null);
            }
            ref = refNode.asText();
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            return new Invalid(ChatError.INVALID_JSON, "A frame needs a \"type\" string: \"message\" or \"ping\".", ref);
        }
        return switch (type.asText()) {
            case "message" -> {
                JsonNode t = node.get("text");
                if (t == null || !t.isTextual()) {
                    yield new Invalid(ChatError.INVALID_JSON, "A message frame needs a \"text\" string.", ref);
                }
                yield new SendMessage(t.asText(), ref);
            }
            case "ping" -> new Ping(ref);
            default -> new Invalid(ChatError.UNKNOWN_TYPE, "Unknown frame type \"" + shorten(type.asText())
                    + "\"; this server understands \"message\" and \"ping\".", ref);
        };
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
