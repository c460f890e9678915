package live.cascade.signaling.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=fmtp:<pt> <parameters>}. The parameter string is kept as written; {@link #parameters()} reads the common
 * {@code key=value;key=value} form, which is what every codec we negotiate uses.
 */
public record Fmtp(int payloadType, String parameterString) {
    public Fmtp {
        Objects.requireNonNull(parameterString, "parameterString");
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type out of range: " + payloadType);
        if (Text.hasLineBreak(parameterString) || Text.endsWithBlank(parameterString)) {
            throw new IllegalArgumentException("fmtp parameters contain a line break or end in a blank");
        }
    }

    public static Fmtp parse(String value) throws SdpParseException {
        String[] parts = Text.head(value);
        int pt = Text.intNumber(parts[0], 0, 127, "a=fmtp payload type");
        return new Fmtp(pt, parts[1]);
    }

    /** Parameters by lower-case name, in order; a bare item without {@code =} maps to {@code ""}. */
    public Map<String, String> parameters() {
        return parameters(parameterString);
    }

    /** Reads a {@code key=value;key=value} parameter string, as {@link #parameters()} does. */
    public static Map<String, String> parameters(String parameterString) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : parameterString.split(";")) {
            String t = item.trim();
            if (t.isEmpty()) continue;
            int eq = t.indexOf('=');
            String key = (eq < 0 ? t : t.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String val = eq < 0 ? "" : t.substring(eq + 1).trim();
            out.putIfAbsent(key, val);
        }
        return Collections.unmodifiableMap(out);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters().get(name.toLowerCase(Locale.ROOT)));
    }

    public String value() {
        return parameterString.isEmpty() ? Integer.toString(payloadType) : payloadType + " " + parameterString;
    }

    public Attribute toAttribute() {
        return Attribute.of("fmtp", value());
    }
}
