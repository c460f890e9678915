package live.cascade.signaling.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285). Ids are 1-255: 1-14 fit the one-byte header,
 * 15-255 need the two-byte form ({@code a=extmap-allow-mixed}).
 *
 * @param direction  the direction written after the id, if any
 * @param attributes extension attributes after the URI, or {@code ""}
 */
public record ExtMap(int id, Optional<Direction> direction, String uri, String attributes) {
    public ExtMap {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(attributes, "attributes");
        if (id < 1 || id > 255) throw new IllegalArgumentException("extmap id out of range 1-255: " + id);
        if (!Text.isToken(uri)) throw new IllegalArgumentException("extmap uri is not a single token: " + Text.quote(uri));
        if (Text.hasLineBreak(attributes) || Text.endsWithBlank(attributes)) {
            throw new IllegalArgumentException("extmap attributes contain a line break or end in a blank");
        }
    }

    public static ExtMap of(int id, String uri) {
        return new ExtMap(id, Optional.empty(), uri, "");
    }

    public static ExtMap parse(String value) throws SdpParseException {
        String[] first = Text.head(value);
        String[] second = Text.head(first[1]);
        if (second[0].isEmpty()) {
            throw new SdpParseException("a=extmap value " + Text.quote(value) + " is not '<id>[/<direction>] <uri>'");
        }
        String idPart = first[0];
        Optional<Direction> dir = Optional.empty();
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            String d = idPart.substring(slash + 1);
            dir = Direction.fromAttributeName(d);
            if (dir.isEmpty()) throw new SdpParseException("a=extmap direction " + Text.quote(d) + " is not a direction");
            idPart = idPart.substring(0, slash);
        }
        int id = Text.intNumber(idPart, 1, 255, "a=extmap id");
        return new ExtMap(id, dir, second[0], second[1]);
    }

    public String value() {
        return id + direction.map(d -> "/" + d.attributeName()).orElse("") + " " + uri
                + (attributes.isEmpty() ? "" : " " + attributes);
    }

    public Attribute toAttribute() {
        return Attribute.of("extmap", value());
    }
}
