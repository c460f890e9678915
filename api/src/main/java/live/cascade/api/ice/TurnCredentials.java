package live.cascade.api.ice;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints TURN REST API credentials (draft-uberti-behave-turn-rest, what coturn's {@code use-auth-secret} checks): the
 * username is {@code <expiry unix seconds>:<id>}, the password {@code base64(HMAC-SHA1(secret, username))}. coturn
 * recomputes the password from the username and refuses an expired one, so nothing is stored and nothing static ever
 * reaches a client. The id is random per credential, so coturn's per-user quotas apply per client.
 */
public final class TurnCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public TurnCredentials(String secret, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
    }

    public Duration ttl() { return ttl; }

    /** A fresh credential good for the configured lifetime from now. */
    public TurnCredential mint() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return mint(HexFormat.of().formatHex(id), clock.instant().plus(ttl));
    }

    /** The credential for {@code id} that expires at {@code expiresAt} (whole seconds). */
    public TurnCredential mint(String id, Instant expiresAt) {
        if (id.indexOf(':') >= 0) throw new IllegalArgumentException("a TURN REST id holds no ':'");
        String username = expiresAt.getEpochSecond() + ":" + id;
        return new TurnCredential(username, password(username), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /** base64(HMAC-SHA1(secret, username)). */
    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
