package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads SDP (RFC 8866) and SDP fragments (RFC 8840) into the model. Tolerant where real clients differ: LF, CRLF or
 * bare CR line ends, blank lines, trailing blanks, any attribute order, unknown attributes and unknown line types
 * (kept). Strict where a wrong value would mislead negotiation: the attributes we interpret must be well formed, and
 * the first problem is reported as an {@link SdpParseException} naming the line. Never throws anything else.
 */
public final class SdpParser {
    private SdpParser() {}

    /** Lines that belong to the session only and make no sense inside an m-section. */
    private static final String SESSION_ONLY = "vostrz";

    public static SessionDescription parse(String sdp) throws SdpParseException {
        Objects.requireNonNull(sdp, "sdp");
        Reader r = new Reader(false);
        r.read(sdp);
        if (!r.sawVersion) throw new SdpParseException("empty SDP: no v=0 line");
        if (r.origin == null) throw new SdpParseException("missing o= line");
        if (r.sessionName == null) throw new SdpParseException("missing s= line");
        return guarded(r.lastLine, () -> new SessionDescription(r.origin, r.sessionName, r.sessionLines, r.sessionAttributes, r.media));
    }

    /** Reads an sdpfrag: session attributes and m-sections without {@code v=}, {@code o=}, {@code s=}. May be empty. */
    public static SdpFragment parseFragment(String sdpfrag) throws SdpParseException {
        Objects.requireNonNull(sdpfrag, "sdpfrag");
        Reader r = new Reader(true);
        r.read(sdpfrag);
        return guarded(r.lastLine, () -> new SdpFragment(r.sessionLines, r.sessionAttributes, r.media));
    }

    private interface Construction<T> {
        T build();
    }

    /**
     * The records re-check what the parser checked; should they ever disagree, the caller still gets a parse
     * failure with the record's reason rather than an unexpected exception.
     */
    private static <T> T guarded(int line, Construction<T> c) throws SdpParseException {
        try {
            return c.build();
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(line, e.getMessage());
        }
    }

    private static final class Reader {
        private final boolean fragment;
        boolean sawVersion;
        Origin origin;
        String sessionName;
        final List<SdpLine> sessionLines = new ArrayList<>();
        final List<Attribute> sessionAttributes = new ArrayList<>();
        final AttributeRules.Scope sessionScope = new AttributeRules.Scope();
        final List<MediaSection> media = new ArrayList<>();
        final Map<String, Integer> midSections = new HashMap<>();
        int lastLine;

        // The m-section being read.
        String[] mLine;
        int mLineNumber;
        int mPort;
        int mPortCount;
        List<SdpLine> mLines;
        List<Attribute> mAttributes;
        AttributeRules.Scope mScope;

        Reader(boolean fragment) {
            this.fragment = fragment;
        }

        void read(String text) throws SdpParseException {
            int number = 0;
            int pos = 0;
            int n = text.length();
            if (n > 0 && text.charAt(0) == '\uFEFF') pos = 1;
            while (pos < n) {
                int end = pos;
                while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
                String raw = text.substring(pos, end);
                // CRLF is one line end; a lone CR or LF is one too.
                pos = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
                number++;
                String line = Text.stripTrailingBlanks(raw);
                if (line.isEmpty()) continue;
                lastLine = number;
                try {
                    accept(line);
                } catch (SdpParseException e) {
                    throw e.atLine(number);
                }
            }
            finishSection();
        }

        private void accept(String line) throws SdpParseException {
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpParseException("expected '<letter>=<value>', got " + Text.quote(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!fragment && !sawVersion) {
                if (type != 'v') throw new SdpParseException("SDP must start with v=0, got " + Text.quote(line));
                if (!value.strip().equals("0")) throw new SdpParseException("unsupported SDP version " + Text.quote(value));
                sawVersion = true;
                return;
            }
            if (type == 'm') {
                finishSection();
                startSection(value);
                return;
            }
            if (type == 'a') {
                Attribute a = attribute(value);
                if (mLine != null) {
                    mScope.accept(a);
                    mAttributes.add(a);
                    if (a.name().equals("mid")) claimMid(a.value().strip());
                } else {
                    sessionScope.accept(a);
                    sessionAttributes.add(a);
                }
                return;
            }
            if (fragment && "vos".indexOf(type) >= 0) {
                throw new SdpParseException(type + "= does not belong in an SDP fragment");
            }
            if (mLine != null) {
                if (SESSION_ONLY.indexOf(type) >= 0) throw new SdpParseException(type + "= is not allowed inside an m-section");
                mLines.add(new SdpLine(type, value));
                return;
            }
            switch (type) {
                case 'v' -> throw new SdpParseException("second v= line");
                case 'o' -> {
                    if (origin != null) throw new SdpParseException("second o= line");
                    origin = Origin.parse(value);
                }
                case 's' -> {
                    if (sessionName != null) throw new SdpParseException("second s= line");
                    sessionName = value;
                }
                default -> sessionLines.add(new SdpLine(type, value));
            }
        }

        private static Attribute attribute(String value) throws SdpParseException {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (name.isEmpty()) throw new SdpParseException("attribute has no name: " + Text.quote("a=" + value));
            if (!Text.isToken(name)) throw new SdpParseException("attribute name " + Text.quote(name) + " contains a blank");
            return colon < 0 ? Attribute.flag(name) : Attribute.of(name, value.substring(colon + 1));
        }

        private void claimMid(String mid) throws SdpParseException {
            Integer previous = midSections.putIfAbsent(mid, media.size());
            if (previous != null) {
                throw new SdpParseException("mid " + Text.quote(mid) + " is already used by m-section " + (previous + 1));
            }
        }

        private void startSection(String value) throws SdpParseException {
            List<String> t = Text.tokens(value);
            if (t.size() < 3) {
                throw new SdpParseException("m= line " + Text.quote(value) + " is not '<media> <port> <proto> <fmt> ...'");
            }
            String portField = t.get(1);
            int slash = portField.indexOf('/');
            mPort = Text.intNumber(slash < 0 ? portField : portField.substring(0, slash), 0, 65535, "m= port");
            mPortCount = slash < 0 ? 0 : Text.intNumber(portField.substring(slash + 1), 1, 65535, "m= number of ports");
            mLine = t.toArray(String[]::new);
            mLineNumber = lastLine;
            mLines = new ArrayList<>();
            mAttributes = new ArrayList<>();
            mScope = new AttributeRules.Scope();
        }

        private void finishSection() throws SdpParseException {
            if (mLine == null) return;
            String[] m = mLine;
            mLine = null;
            media.add(guarded(mLineNumber, () -> new MediaSection(m[0], mPort, mPortCount, m[2],
                    List.of(m).subList(3, m.length), mLines, mAttributes)));
        }
    }
}
