package live.cascade.signaling.sdp;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import live.cascade.sfu.params.DtlsFingerprint;

/**
 * The syntax rules for the attributes we interpret. The parser applies them line by line (so errors carry line
 * numbers) and the record constructors apply the same rules, so a {@link SessionDescription} or {@link MediaSection}
 * that exists is always readable by the typed accessors. Unknown attributes are never checked.
 */
final class AttributeRules {
    private AttributeRules() {}

    /** Attributes that may appear at most once in one scope (the session, or one m-section). */
    private static final Set<String> ONCE = Set.of("mid", "setup", "ice-ufrag", "ice-pwd", "simulcast");

    /** Checks the value of a known attribute; unknown attributes pass untouched. */
    static void checkValue(Attribute a) throws SdpParseException {
        switch (a.name()) {
            case "rtpmap" -> RtpMap.parse(required(a));
            case "fmtp" -> Fmtp.parse(required(a));
            case "rtcp-fb" -> RtcpFeedback.parse(required(a));
            case "extmap" -> ExtMap.parse(required(a));
            case "ssrc" -> SsrcAttribute.parse(required(a));
            case "ssrc-group" -> SsrcGroup.parse(required(a));
            case "rid" -> Rid.parse(required(a));
            case "simulcast" -> Simulcast.parse(required(a));
            case "setup" -> Setup.parse(required(a));
            case "fingerprint" -> fingerprint(required(a));
            case "candidate" -> IceCandidate.parse(required(a));
            case "msid" -> Msid.parse(required(a));
            case "group" -> Group.parse(required(a));
            case "mid", "ice-ufrag", "ice-pwd" -> singleToken(a);
            case "ice-options" -> {
                if (Text.tokens(required(a)).isEmpty()) throw new SdpParseException("a=ice-options names no option");
            }
            default -> { }
        }
    }

    static DtlsFingerprint fingerprint(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.size() != 2) {
            throw new SdpParseException("a=fingerprint value " + Text.quote(value) + " is not '<hash function> <hex:hex:...>'");
        }
        for (int i = 0; i < t.get(1).length(); i++) {
            char c = t.get(1).charAt(i);
            if (c != ':' && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new SdpParseException("a=fingerprint digest " + Text.quote(t.get(1)) + " is not colon-separated hex");
            }
        }
        return new DtlsFingerprint(t.get(0), t.get(1));
    }

    private static String required(Attribute a) throws SdpParseException {
        if (a.value() == null || a.value().isBlank()) throw new SdpParseException("a=" + a.name() + " needs a value");
        return a.value();
    }

    private static void singleToken(Attribute a) throws SdpParseException {
        String v = required(a).strip();
        if (!Text.isToken(v)) throw new SdpParseException("a=" + a.name() + " value " + Text.quote(a.value()) + " is not a single token");
    }

    /** Checks every attribute of one scope, in order; throws the first problem. */
    static void checkScope(List<Attribute> attributes) throws SdpParseException {
        Scope scope = new Scope();
        for (Attribute a : attributes) scope.accept(a);
    }

    /** Same as {@link #checkScope} for record constructors, which report misuse as {@link IllegalArgumentException}. */
    static void requireValidScope(List<Attribute> attributes) {
        try {
            checkScope(attributes);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** For record constructors: no two m-sections share a mid, so a mid names one section. */
    static void requireUniqueMids(List<MediaSection> media) {
        Set<String> mids = new HashSet<>();
        for (MediaSection m : media) {
            m.mid().ifPresent(mid -> {
                if (!mids.add(mid)) throw new IllegalArgumentException("mid " + Text.quote(mid) + " is used by two m-sections");
            });
        }
    }

    /** Tracks one scope while its attributes arrive, for the rules that span lines. */
    static final class Scope {
        private final Set<String> seenOnce = new HashSet<>();
        private Direction direction;
        private final Map<Integer, String> rtpmapPts = new HashMap<>();
        private final Set<Integer> fmtpPts = new HashSet<>();
        private final Set<Integer> extmapIds = new HashSet<>();

        void accept(Attribute a) throws SdpParseException {
            String name = a.name();
            switch (name) {
                case "rtpmap" -> {
                    RtpMap m = RtpMap.parse(required(a));
                    if (rtpmapPts.putIfAbsent(m.payloadType(), m.encodingName()) != null) {
                        throw new SdpParseException("payload type " + m.payloadType() + " has a second a=rtpmap");
                    }
                }
                case "fmtp" -> {
                    Fmtp f = Fmtp.parse(required(a));
                    if (!fmtpPts.add(f.payloadType())) {
                        throw new SdpParseException("payload type " + f.payloadType() + " has a second a=fmtp");
                    }
                }
                case "extmap" -> {
                    ExtMap e = ExtMap.parse(required(a));
                    if (!extmapIds.add(e.id())) throw new SdpParseException("extmap id " + e.id() + " is used twice");
                }
                default -> checkValue(a);
            }
            if (ONCE.contains(name) && !seenOnce.add(name)) {
                throw new SdpParseException("a=" + name + " appears twice in the same section");
            }
            var dir = Direction.fromAttributeName(name);
            if (dir.isPresent()) {
                if (direction != null && direction != dir.get()) {
                    throw new SdpParseException("a=" + name + " conflicts with a=" + direction.attributeName() + " in the same section");
                }
                direction = dir.get();
            }
        }
    }
}
