package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers shared by the SDP classes. SDP separates tokens with spaces; tabs are tolerated. */
final class Text {
    private static final int QUOTE_LIMIT = 80;

    private Text() {}

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Tokens separated by runs of blanks; leading and trailing blanks produce no empty tokens. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && isBlank(s.charAt(i))) i++;
            int start = i;
            while (i < n && !isBlank(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** Splits off the first token: {@code [first, rest]}, rest without leading blanks (possibly empty). */
    static String[] head(String s) {
        int i = 0, n = s.length();
        while (i < n && isBlank(s.charAt(i))) i++;
        int start = i;
        while (i < n && !isBlank(s.charAt(i))) i++;
        String first = s.substring(start, i);
        while (i < n && isBlank(s.charAt(i))) i++;
        return new String[] {first, s.substring(i)};
    }

    static String stripTrailingBlanks(String s) {
        int end = s.length();
        while (end > 0 && (isBlank(s.charAt(end - 1)) || s.charAt(end - 1) == '\r')) end--;
        return s.substring(0, end);
    }

    static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    static boolean endsWithBlank(String s) {
        return !s.isEmpty() && isBlank(s.charAt(s.length() - 1));
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isBlank(c) || c == '\r' || c == '\n') return false;
        }
        return true;
    }

    /** A value quoted for an error message: control characters escaped, long values cut, so messages stay one line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int limit = Math.min(s.length(), QUOTE_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (s.length() > QUOTE_LIMIT) b.append("...");
        return b.append('\'').toString();
    }

    /**
     * A decimal number in {@code [min, max]}, or a parse failure naming {@code what}. Digits only: no sign, no
     * spaces, so "+5" and "0x10" are rejected rather than guessed at.
     */
    static long number(String s, long min, long max, String what) throws SdpParseException {
        if (s.isEmpty()) throw new SdpParseException(what + " is missing");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new SdpParseException(what + " " + quote(s) + " is not a number");
        }
        // More than 18 digits could overflow a long; every number SDP gives us is far smaller.
        if (s.length() > 18) throw new SdpParseException(what + " " + quote(s) + " is out of range " + min + "-" + max);
        long v = Long.parseLong(s);
        if (v < min || v > max) throw new SdpParseException(what + " " + s + " is out of range " + min + "-" + max);
        return v;
    }

    /** A decimal number in {@code [0, max]}, or empty when {@code s} is not one. */
    static java.util.Optional<Integer> smallNumber(String s, int max) {
        if (s.isEmpty() || s.length() > 9) return java.util.Optional.empty();
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return java.util.Optional.empty();
        int v = Integer.parseInt(s);
        return v <= max ? java.util.Optional.of(v) : java.util.Optional.empty();
    }

    static int intNumber(String s, int min, int max, String what) throws SdpParseException {
        return (int) number(s, min, max, what);
    }
}
