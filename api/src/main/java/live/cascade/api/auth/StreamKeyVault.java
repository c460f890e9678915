package live.cascade.api.auth;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Keeps stream keys encrypted at rest (AES-256-GCM under a key derived from the node secret) so the owner can read
 * theirs again, while WHIP looks channels up by the key's SHA-256 and never decrypts.
 */
public final class StreamKeyVault {
    private static final String PREFIX = "live_";
    private final SecretKeySpec key;

    public StreamKeyVault(String nodeSecret) {
        try {
            byte[] k = MessageDigest.getInstance("SHA-256").digest(("cascade stream keys\0" + nodeSecret).getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(k, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new stream key with its hash and ciphertext. */
    public Issued issue() {
        String plain = Secrets.newToken(PREFIX);
        return new Issued(plain, Secrets.sha256Hex(plain), encrypt(plain));
    }

    public record Issued(String streamKey, String hash, String encrypted) {
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = Secrets.randomBytes(12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decrypts a stored key. Fails with {@link IllegalStateException} when the node secret differs from the one that
     * encrypted it (a misconfigured node), which the API reports rather than hiding.
     */
    public String decrypt(String stored) {
        if (!stored.startsWith("v1:")) throw new IllegalStateException("unknown stream key format");
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stream key cannot be decrypted with this node's secret (was --secret changed?)", e);
        }
    }

    public static String hash(String streamKey) {
        return Secrets.sha256Hex(streamKey);
    }
}
