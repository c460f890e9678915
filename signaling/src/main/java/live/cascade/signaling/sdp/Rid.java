package live.cascade.signaling.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code a=rid:<id> <send|recv> [<restrictions>]} (RFC 8851).
 *
 * @param restrictions e.g. {@code pt=96;max-width=1280}, or {@code ""}
 */
public record Rid(String id, Direction direction, String restrictions) {
    /** Only send and recv are valid for a rid. */
    public enum Direction { SEND, RECV }

    public Rid {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(restrictions, "restrictions");
        if (!Text.isToken(id)) throw new IllegalArgumentException("rid id is not a single token: " + Text.quote(id));
        if (Text.hasLineBreak(restrictions) || Text.endsWithBlank(restrictions)) {
            throw new IllegalArgumentException("rid restrictions contain a line break or end in a blank");
        }
    }

    public static Rid parse(String value) throws SdpParseException {
        String[] first = Text.head(value);
        String[] second = Text.head(first[1]);
        if (first[0].isEmpty()) throw new SdpParseException("a=rid has no id");
        Direction dir = switch (second[0].toLowerCase(Locale.ROOT)) {
            case "send" -> Direction.SEND;
            case "recv" -> Direction.RECV;
            default -> throw new SdpParseException(
                    "a=rid direction " + Text.quote(second[0]) + " is not send or recv in " + Text.quote(value));
        };
        return new Rid(first[0], dir, second[1]);
    }
}
