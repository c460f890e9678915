package live.cascade.api.fleet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The token a steered publisher carries to the node it was redirected to, in place of its stream key:
 * {@code st1.<payload>.<mac>}, the payload naming the target node, the channel's slug, an expiry and a nonce, signed with
 * HMAC-SHA256 under a key derived from the node secret (every node has it). A token names its target node, so a
 * node remembering the nonces it redeemed (until they expire) is enough to make it single-use. A steered viewer's
 * token ({@code sv1.…}, {@link Purpose#PLAY}) is the same under a key of its own: a viewer's token must never admit
 * a publisher.
 */
public final class SteeringTokens {
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token admits to: publishing (WHIP) or playing (WHEP); each has its own prefix and key. */
    public enum Purpose {
        PUBLISH("st1", "cascade-steering-v1"), PLAY("sv1", "cascade-viewer-steering-v1");

        final String prefix;
        final String label;

        Purpose(String prefix, String label) {
            this.prefix = prefix;
            this.label = label;
        }
    }

    private final byte[] key;
    private final String prefix;
    private final Clock clock;
    /** Redeemed nonce → its expiry (epoch seconds). */
    private final Map<String, Long> used = new ConcurrentHashMap<>();

    public SteeringTokens(String nodeSecret, Clock clock) {
        this(nodeSecret, clock, Purpose.PUBLISH);
    }

    public SteeringTokens(String nodeSecret, Clock clock, Purpose purpose) {
        this.key = hmac(nodeSecret.getBytes(StandardCharsets.UTF_8), purpose.label.getBytes(StandardCharsets.UTF_8));
        this.prefix = purpose.prefix;
        this.clock = clock;
    }

    public String issue(String targetNode, String slug) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String payload = B64.encodeToString((targetNode + "\n" + slug + "\n" + expires + "\n" + nonce).getBytes(StandardCharsets.UTF_8));
        return prefix + "." + payload + "." + B64.encodeToString(hmac(key, payload.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The slug, when the token is genuine, for {@code selfNode}, unexpired and not redeemed before; uses it up. */
    public Optional<String> redeem(String token, String selfNode) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !parts[0].equals(prefix)) return Optional.empty();
        byte[] mac;
        String[] fields;
        try {
            mac = B64D.decode(parts[2]);
            fields = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8).split("\n");
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, hmac(key, parts[1].getBytes(StandardCharsets.US_ASCII))) || fields.length != 4) return Optional.empty();
        long now = clock.instant().getEpochSecond();
        long expires;
        try {
            expires = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!fields[0].equals(selfNode) || expires < now) return Optional.empty();
        used.values().removeIf(exp -> exp < now);
        if (used.putIfAbsent(fields[3], expires) != null) return Optional.empty();
        return Optional.of(fields[1]);
    }

    private static byte[] hmac(byte[] k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
