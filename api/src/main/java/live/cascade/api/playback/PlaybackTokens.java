package live.cascade.api.playback;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Issues and checks playback tokens: the one signed token of HLS and VOD URLs (docs/hls.md, "Playback tokens").
 *
 * <p>Wire form, version 1: base64url without padding of 46 bytes: version (1), entitlement code (1), channel id (8,
 * big-endian), session (12), expiry in epoch seconds (8), then the first 16 bytes of HMAC-SHA256 over the 30 bytes
 * before it. 62 characters, URL-safe as they are. The signature is checked (in constant time) before any field is
 * believed; the version byte comes first so a later version can change everything after it.
 *
 * <p>The key is derived from the node secret ({@code --secret}), which every node of a deployment already shares (it
 * decrypts the stream keys in the shared database): a token issued by one node is good on all of them, and a
 * deployment's tokens are worthless to another one. Derived, not the secret itself, so that a signature never exposes
 * anything about the key that protects stream keys.
 */
public final class PlaybackTokens {
    static final byte VERSION = 1;
    private static final int BODY = 30;
    private static final int MAC = 16;
    private static final int LENGTH = BODY + MAC;
    private static final int ENCODED = 62;
    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration lifetime;

    PlaybackTokens(byte[] key, Clock clock, Duration lifetime) {
        if (key.length < 32) throw new IllegalArgumentException("a playback token key has at least 256 bits");
        if (lifetime.toSeconds() < 1) throw new IllegalArgumentException("token lifetime under a second: " + lifetime);
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** Tokens signed with a key derived from the node secret; {@code lifetime} is how long an issued token is good. */
    public static PlaybackTokens fromSecret(String nodeSecret, Clock clock, Duration lifetime) {
        byte[] secret = nodeSecret.getBytes(StandardCharsets.UTF_8);
        byte[] derived = hmac(new SecretKeySpec(secret, ALGORITHM), "cascade playback token key v1".getBytes(StandardCharsets.US_ASCII));
        return new PlaybackTokens(derived, clock, lifetime);
    }

    public Duration lifetime() { return lifetime; }

    /** A token for a new viewing session of a channel, good for the lifetime from now. */
    public String issue(long channelId) {
        return issue(channelId, PlaybackToken.Entitlement.PUBLIC);
    }

    /** A token for a new viewing session with the given entitlement ({@code PRIVATE} for a private channel's viewer). */
    public String issue(long channelId, PlaybackToken.Entitlement entitlement) {
        return encode(new PlaybackToken(channelId, newSession(), expiry(clock.instant().plus(lifetime)), entitlement));
    }

    /**
     * A token with its own lifetime rather than the playback one: the age gate's proof lives for hours, while playlist
     * tokens live for minutes.
     */
    public String issue(long channelId, PlaybackToken.Entitlement entitlement, Duration lifetime) {
        return encode(new PlaybackToken(channelId, newSession(), expiry(clock.instant().plus(lifetime)), entitlement));
    }

    /** The same session, good for the lifetime from now: what a player gets when it reloads with a token it holds. */
    public String renew(PlaybackToken token) {
        return encode(new PlaybackToken(token.channelId(), token.session(), expiry(clock.instant().plus(lifetime)), token.entitlement()));
    }

    /**
     * The token every viewer of a channel gets within one interval (the lifetime, aligned to the epoch), so the URLs that
     * carry it are the same for all of them and caches can share their responses. It is good until the end of the next
     * interval: between one and two lifetimes from now.
     */
    public String shared(long channelId) {
        return shared(channelId, PlaybackToken.Entitlement.PUBLIC);
    }

    /** Like {@link #shared(long)}, with the given entitlement ({@code PRIVATE}: shared by a private channel's viewers). */
    public String shared(long channelId, PlaybackToken.Entitlement entitlement) {
        long period = lifetime.toSeconds();
        long end = (Math.floorDiv(clock.instant().getEpochSecond(), period) + 2) * period;
        return encode(new PlaybackToken(channelId, PlaybackToken.SHARED_SESSION, Instant.ofEpochSecond(end), entitlement));
    }

    /** Checks {@code text} (a token as a URL carried it, or null) for {@code channelId}. */
    public TokenCheck check(String text, long channelId) {
        if (text == null || text.isEmpty()) return new TokenCheck.Refused(TokenCheck.Reason.MISSING);
        if (text.length() != ENCODED) return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
        }
        if (raw.length != LENGTH) return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
        if (raw[0] != VERSION) return new TokenCheck.Refused(TokenCheck.Reason.UNSUPPORTED_VERSION);
        byte[] expected = Arrays.copyOf(hmac(key, Arrays.copyOf(raw, BODY)), MAC);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, BODY, LENGTH))) return new TokenCheck.Refused(TokenCheck.Reason.FORGED);
        // Genuine from here on: what it says is what this deployment wrote.
        ByteBuffer b = ByteBuffer.wrap(raw, 1, BODY - 1);
        PlaybackToken.Entitlement entitlement = PlaybackToken.Entitlement.of(b.get());
        if (entitlement == null) return new TokenCheck.Refused(TokenCheck.Reason.UNKNOWN_ENTITLEMENT);
        long channel = b.getLong();
        byte[] session = new byte[12];
        b.get(session);
        long expires = b.getLong();
        if (channel != channelId) return new TokenCheck.Refused(TokenCheck.Reason.OTHER_CHANNEL);
        PlaybackToken token = new PlaybackToken(channel, B64.encodeToString(session), Instant.ofEpochSecond(expires), entitlement);
        return clock.instant().getEpochSecond() < expires ? new TokenCheck.Valid(token) : new TokenCheck.Expired(token);
    }

    String encode(PlaybackToken t) {
        ByteBuffer b = ByteBuffer.allocate(BODY);
        b.put(VERSION).put(t.entitlement().code()).putLong(t.channelId()).put(Base64.getUrlDecoder().decode(t.session()))
                .putLong(t.expiresAt().getEpochSecond());
        return sign(b.array());
    }

    /** The token form of a 30-byte body: the body and its signature, base64url. */
    String sign(byte[] body) {
        byte[] out = Arrays.copyOf(body, LENGTH);
        System.arraycopy(hmac(key, body), 0, out, BODY, MAC);
        return B64.encodeToString(out);
    }

    private static String newSession() {
        byte[] s = new byte[12];
        RANDOM.nextBytes(s);
        return B64.encodeToString(s);
    }

    private static Instant expiry(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond());
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap to make: one per use
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
