package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code a=ssrc-group:<semantics> <ssrc>...}, e.g. {@code FID <media> <rtx>} or {@code SIM <l0> <l1> <l2>}. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        Objects.requireNonNull(semantics, "semantics");
        if (!Text.isToken(semantics)) throw new IllegalArgumentException("bad ssrc-group semantics: " + Text.quote(semantics));
        ssrcs = List.copyOf(ssrcs);
        for (long s : ssrcs) if (s < 0 || s > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range: " + s);
    }

    public static SsrcGroup parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.isEmpty()) throw new SdpParseException("a=ssrc-group has no semantics");
        List<Long> ssrcs = new ArrayList<>();
        for (String s : t.subList(1, t.size())) ssrcs.add(Text.number(s, 0, 0xFFFF_FFFFL, "a=ssrc-group ssrc"));
        return new SsrcGroup(t.get(0), ssrcs);
    }

    public boolean is(String semantics) {
        return this.semantics.equalsIgnoreCase(semantics);
    }

    public String value() {
        StringBuilder b = new StringBuilder(semantics);
        for (long s : ssrcs) b.append(' ').append(s);
        return b.toString();
    }

    public Attribute toAttribute() {
        return Attribute.of("ssrc-group", value());
    }
}
