package live.cascade.signaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Derives malformed and odd inputs from real ones for the never-throws tests: line edits, character edits, number
 * edits at the edges of every range we check, attribute lines with random values, and plain garbage.
 */
public final class Mutator {
    private static final String[] NUMBERS = {"", "0", "1", "-1", "+5", "127", "128", "255", "256", "65535", "65536",
            "4294967295", "4294967296", "9223372036854775807", "99999999999999999999999", "1e3", "0x10", "07", " 5"};
    private static final String[] PIECES = {":", " ", "  ", "\t", "/", "=", "\r", "\n", "\r\n", ";", ",", "*", "~", "-",
            "a=", "m=", "v=0", "typ", "send", "recv", "apt=", "\u0000", "\u00ff", "\u20ac", "\uD83D\uDE00", "\uFEFF", "\\",
            "'", "\"", "%", "a=mid:0", "a=bundle-only", "m=video 0 UDP/TLS/RTP/SAVPF 96", "a=group:BUNDLE 9"};
    private static final String[] ATTRIBUTES = {"rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group", "rid",
            "simulcast", "setup", "fingerprint", "candidate", "msid", "group", "mid", "ice-ufrag", "ice-pwd",
            "ice-options", "sendonly", "recvonly", "inactive", "sendrecv", "rtcp-mux", "bundle-only", "end-of-candidates",
            "ice-lite", "extmap-allow-mixed", "x-unknown"};

    private final Random random;
    private final List<String> corpus;

    public Mutator(Random random, List<String> corpus) {
        this.random = random;
        this.corpus = corpus;
    }

    public String next() {
        if (random.nextInt(20) == 0) return garbage(random.nextInt(300));
        String s = corpus.get(random.nextInt(corpus.size()));
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) s = mutate(s);
        return s;
    }

    private String mutate(String s) {
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\r\n|\n|\r", -1)));
        int n = lines.size();
        switch (random.nextInt(12)) {
            case 0 -> { lines.remove(random.nextInt(n)); return join(lines); }
            case 1 -> { int i = random.nextInt(n); lines.add(random.nextInt(n), lines.get(i)); return join(lines); }
            case 2 -> { int i = random.nextInt(n), j = random.nextInt(n); String t = lines.get(i); lines.set(i, lines.get(j)); lines.set(j, t); return join(lines); }
            case 3 -> {
                if (s.isEmpty()) return piece();
                int at = random.nextInt(s.length());
                return s.substring(0, at) + piece() + s.substring(at + 1);
            }
            case 4 -> { int at = random.nextInt(s.length() + 1); return s.substring(0, at) + piece() + s.substring(at); }
            case 5 -> { return s.substring(0, random.nextInt(s.length() + 1)); }
            case 6 -> { return replaceNumber(s); }
            case 7 -> { lines.add(random.nextInt(n + 1), attributeLine()); return join(lines); }
            case 8 -> { return s.replace("\r\n", random.nextBoolean() ? "\n" : "\r"); }
            case 9 -> {
                String other = corpus.get(random.nextInt(corpus.size()));
                String[] otherLines = other.split("\r\n");
                lines.add(random.nextInt(n + 1), otherLines[random.nextInt(otherLines.length)]);
                return join(lines);
            }
            case 10 -> { return s.replace(random.nextBoolean() ? " " : ":", piece()); }
            default -> { lines.set(random.nextInt(n), garbage(random.nextInt(60))); return join(lines); }
        }
    }

    private String replaceNumber(String s) {
        int start = -1;
        for (int tries = 0; tries < 20 && start < 0; tries++) {
            int at = random.nextInt(s.length() + 1);
            for (int i = at; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) { start = i; break; }
        }
        if (start < 0) return s;
        int end = start;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        return s.substring(0, start) + NUMBERS[random.nextInt(NUMBERS.length)] + s.substring(end);
    }

    private String attributeLine() {
        StringBuilder b = new StringBuilder("a=").append(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)]);
        if (random.nextInt(4) == 0) return b.toString();
        b.append(':');
        int tokens = random.nextInt(10);
        for (int i = 0; i < tokens; i++) {
            if (i > 0) b.append(' ');
            b.append(switch (random.nextInt(4)) {
                case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 1 -> piece();
                case 2 -> garbage(random.nextInt(8));
                default -> ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
            });
        }
        return b.toString();
    }

    private String piece() {
        return PIECES[random.nextInt(PIECES.length)];
    }

    private String garbage(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(switch (random.nextInt(5)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> (char) (0x20 + random.nextInt(0x5f));
                case 2 -> (char) random.nextInt(0x10000);
                default -> "azAZ09:= /;".charAt(random.nextInt(11));
            });
        }
        return b.toString();
    }

    private static String join(List<String> lines) {
        return String.join("\r\n", lines);
    }

    /** The input as a Java string literal body, so a failing case can be pasted into a test. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '"') b.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7f) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
