package live.cascade.signaling.sdp;

import java.util.List;
import java.util.Objects;

/** {@code a=group:<semantics> <mid>...} (RFC 5888), e.g. {@code BUNDLE 0 1}. */
public record Group(String semantics, List<String> mids) {
    public Group {
        Objects.requireNonNull(semantics, "semantics");
        if (!Text.isToken(semantics)) throw new IllegalArgumentException("bad group semantics: " + Text.quote(semantics));
        mids = List.copyOf(mids);
        for (String m : mids) if (!Text.isToken(m)) throw new IllegalArgumentException("bad mid in group: " + Text.quote(m));
    }

    public static Group bundle(List<String> mids) {
        return new Group("BUNDLE", mids);
    }

    public static Group parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.isEmpty()) throw new SdpParseException("a=group has no semantics");
        return new Group(t.get(0), t.subList(1, t.size()));
    }

    public boolean isBundle() {
        return semantics.equalsIgnoreCase("BUNDLE");
    }

    public String value() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }

    public Attribute toAttribute() {
        return Attribute.of("group", value());
    }
}
