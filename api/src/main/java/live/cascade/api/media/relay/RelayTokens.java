package live.cascade.api.media.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential one node shows another when it pulls a channel: {@code relay1.<payload>.<mac>}, the payload naming
 * the asking node, the channel's slug and an expiry, the MAC an HMAC-SHA256 under a key derived from the node secret
 * (every node of a deployment has the same secret, so any node can check any other's tokens). A token is good for
 * {@link #LIFETIME}: it is made for one WHEP POST.
 */
public final class RelayTokens {
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String PREFIX = "relay1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final Clock clock;

    private RelayTokens(byte[] key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    public static RelayTokens fromSecret(String nodeSecret, Clock clock) {
        byte[] derived = hmac(nodeSecret.getBytes(StandardCharsets.UTF_8), "cascade relay token key v1".getBytes(StandardCharsets.US_ASCII));
        return new RelayTokens(derived, clock);
    }

    /** A token for {@code nodeId} to pull channel {@code slug}. */
    public String issue(String nodeId, String slug) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String payload = nodeId + "|" + slug.toLowerCase(Locale.ROOT) + "|" + expires;
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return PREFIX + encoded + "." + B64.encodeToString(hmac(key, encoded.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Empty when {@code token} is a valid, unexpired relay token for {@code slug}; else why not, for the problem's detail. */
    public Optional<String> refusal(String token, String slug) {
        if (!token.startsWith(PREFIX)) return Optional.of("The Authorization header carries no relay token (relay1.…).");
        String rest = token.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) return Optional.of("The relay token is malformed.");
        String encoded = rest.substring(0, dot);
        byte[] mac;
        String payload;
        try {
            mac = Base64.getUrlDecoder().decode(rest.substring(dot + 1));
            payload = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.of("The relay token is malformed.");
        }
        if (!MessageDigest.isEqual(mac, hmac(key, encoded.getBytes(StandardCharsets.US_ASCII)))) {
            return Optional.of("The relay token was not made with this deployment's secret; every node needs the same --secret.");
        }
        String[] parts = payload.split("\\|");
        if (parts.length != 3) return Optional.of("The relay token is malformed.");
        if (!parts[1].equals(slug.toLowerCase(Locale.ROOT))) return Optional.of("The relay token is for channel '" + parts[1] + "', not '" + slug + "'.");
        long expires;
        try {
            expires = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return Optional.of("The relay token is malformed.");
        }
        if (clock.instant().getEpochSecond() > expires) {
            return Optional.of("The relay token expired; the asking node makes a fresh one per request (check the nodes' clocks).");
        }
        return Optional.empty();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JDK algorithm", e);
        }
    }
}
