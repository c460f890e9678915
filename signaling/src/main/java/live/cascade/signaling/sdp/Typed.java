package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads typed values out of attributes that {@link AttributeRules} has already accepted. */
final class Typed {
    private Typed() {}

    @FunctionalInterface
    interface ValueParser<T> {
        T parse(String value) throws SdpParseException;
    }

    static <T> List<T> all(List<Attribute> attributes, String name, ValueParser<T> parser) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes) if (a.name().equals(name)) out.add(read(a, parser));
        return List.copyOf(out);
    }

    static <T> Optional<T> first(List<Attribute> attributes, String name, ValueParser<T> parser) {
        for (Attribute a : attributes) if (a.name().equals(name)) return Optional.of(read(a, parser));
        return Optional.empty();
    }

    private static <T> T read(Attribute a, ValueParser<T> parser) {
        try {
            return parser.parse(a.valueOrEmpty());
        } catch (SdpParseException e) {
            // Unreachable: every holder of attributes validates them on construction with the same parsers.
            throw new IllegalStateException("validated attribute does not parse: " + a, e);
        }
    }
}
