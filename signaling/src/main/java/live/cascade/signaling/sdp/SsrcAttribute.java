package live.cascade.signaling.sdp;

import java.util.Objects;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576), e.g. {@code cname:abc} or {@code msid:stream track}.
 *
 * @param value the attribute value, or {@code ""} when none was given
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {
    public SsrcAttribute {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(value, "value");
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        if (!Text.isToken(attribute) || attribute.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad ssrc attribute name: " + Text.quote(attribute));
        }
        if (Text.hasLineBreak(value) || Text.endsWithBlank(value)) {
            throw new IllegalArgumentException("ssrc attribute value contains a line break or ends in a blank");
        }
    }

    public static SsrcAttribute parse(String value) throws SdpParseException {
        String[] parts = Text.head(value);
        long ssrc = Text.number(parts[0], 0, 0xFFFF_FFFFL, "a=ssrc id");
        if (parts[1].isEmpty()) throw new SdpParseException("a=ssrc value " + Text.quote(value) + " names no attribute");
        int colon = parts[1].indexOf(':');
        String name = colon < 0 ? parts[1] : parts[1].substring(0, colon);
        if (!Text.isToken(name)) {
            throw new SdpParseException("a=ssrc attribute name " + Text.quote(name) + " is not a single token");
        }
        return new SsrcAttribute(ssrc, name, colon < 0 ? "" : parts[1].substring(colon + 1));
    }

    public String toValue() {
        return ssrc + " " + attribute + (value.isEmpty() ? "" : ":" + value);
    }

    public Attribute toAttribute() {
        return Attribute.of("ssrc", toValue());
    }
}
