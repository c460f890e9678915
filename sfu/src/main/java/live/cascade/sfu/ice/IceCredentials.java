package live.cascade.sfu.ice;

import java.security.SecureRandom;
import live.cascade.sfu.params.IceParameters;

/** Random local ICE credentials. */
public final class IceCredentials {
    /** RFC 8839 requires at least 4 ufrag and 22 password characters; a little more costs nothing. */
    public static final int UFRAG_LENGTH = 8;
    public static final int PASSWORD_LENGTH = 24;

    /**
     * Alphanumerics only: a subset of RFC 8839 ice-char that leaves out '+' and '/', which some SDP munging code
     * and URL-ish logging mangle.
     */
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private IceCredentials() {}

    public static IceParameters random() {
        return new IceParameters(randomString(UFRAG_LENGTH), randomString(PASSWORD_LENGTH));
    }

    /** True when every character is an RFC 8839 ice-char (ALPHA / DIGIT / "+" / "/"). */
    public static boolean isIceChars(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) return false;
        }
        return true;
    }

    private static String randomString(int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        return new String(out);
    }
}
