package live.cascade.signaling.sdp;

import java.util.Objects;

/**
 * {@code a=rtcp-fb:<pt|*> <type> [<parameters>]}.
 *
 * @param payloadType the payload type, or {@link #WILDCARD} for {@code *}
 * @param feedback    type and parameters with blanks collapsed to single spaces, e.g. {@code nack pli}
 */
public record RtcpFeedback(int payloadType, String feedback) {
    public static final int WILDCARD = -1;

    public RtcpFeedback {
        Objects.requireNonNull(feedback, "feedback");
        if (payloadType < WILDCARD || payloadType > 127) throw new IllegalArgumentException("payload type out of range: " + payloadType);
        if (feedback.isEmpty() || !String.join(" ", Text.tokens(feedback)).equals(feedback)) {
            throw new IllegalArgumentException("feedback must be single-space separated tokens: " + Text.quote(feedback));
        }
    }

    public static RtcpFeedback parse(String value) throws SdpParseException {
        String[] parts = Text.head(value);
        int pt = parts[0].equals("*") ? WILDCARD : Text.intNumber(parts[0], 0, 127, "a=rtcp-fb payload type");
        if (parts[1].isEmpty()) {
            throw new SdpParseException("a=rtcp-fb value " + Text.quote(value) + " has no feedback type");
        }
        return new RtcpFeedback(pt, String.join(" ", Text.tokens(parts[1])));
    }

    public boolean appliesTo(int pt) {
        return payloadType == WILDCARD || payloadType == pt;
    }

    public String value() {
        return (payloadType == WILDCARD ? "*" : Integer.toString(payloadType)) + " " + feedback;
    }

    public Attribute toAttribute() {
        return Attribute.of("rtcp-fb", value());
    }
}
