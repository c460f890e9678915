package live.cascade.api.mail;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Signed one-click unsubscribe links: who ({@code u}) stops getting live notices of which channel ({@code c}, 0 for
 * all channels). Stateless (an HMAC keyed from the node secret, which every node shares), so a link keeps working on
 * any node and after restarts, and needs no login: RFC 8058 clients POST to it without cookies.
 */
final class UnsubscribeTokens {
    static final long ALL_CHANNELS = 0;
    private static final int SIG_BYTES = 16;

    private final SecretKeySpec key;

    UnsubscribeTokens(String nodeSecret) {
        this.key = new SecretKeySpec(("cascade-unsubscribe:" + nodeSecret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A target of an unsubscribe link: the account and the channel (or {@link #ALL_CHANNELS}). */
    record Target(long userId, long channelId) {
        boolean allChannels() {
            return channelId == ALL_CHANNELS;
        }
    }

    /** The path and query of the link, such as {@code /api/notifications/unsubscribe?u=1&c=2&s=…}. */
    String path(Target t) {
        return "/api/notifications/unsubscribe?u=" + t.userId() + "&c=" + t.channelId() + "&s=" + sign(t);
    }

    /** The target if the three query values are a link this deployment signed. */
    Optional<Target> verify(String u, String c, String s) {
        if (u == null || c == null || s == null || u.length() > 20 || c.length() > 20 || s.length() > 64) return Optional.empty();
        Target t;
        try {
            t = new Target(Long.parseLong(u), Long.parseLong(c));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = Base64.getUrlDecoder().decode(sign(t));
        return MessageDigest.isEqual(given, expected) ? Optional.of(t) : Optional.empty();
    }

    private String sign(Target t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(("live:" + t.userId() + ":" + t.channelId()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, SIG_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
