package live.cascade.sfu.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) on a {@link MessageDigest}, writing the tag into the caller's array.
 *
 * <p>Why not {@link javax.crypto.Mac}: even {@code Mac.doFinal(byte[], int)} builds the tag in a new array and copies
 * it out (SunJCE's {@code HmacCore}), which is an allocation per packet on the egress path. The two-pass construction
 * here calls only {@code update} and {@code digest(byte[], int, int)}, which write into arrays we own; the SHA-1
 * compression underneath is the same JIT intrinsic (SHA-NI where the CPU has it).
 *
 * <p>Not thread-safe; one instance per sender.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] digest = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        sha1.reset();
    }

    /** Starts a new tag; any unfinished one is discarded. */
    void start() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
    }

    void update(byte[] data, int off, int len) {
        sha1.update(data, off, len);
    }

    /** Writes the first {@code len} bytes of the tag to {@code out[off..]}. */
    void finish(byte[] out, int off, int len) {
        try {
            sha1.digest(digest, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(digest, 0, LENGTH);
            sha1.digest(digest, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 refused a 20-byte output", e);
        }
        System.arraycopy(digest, 0, out, off, len);
    }

    /** Compares a computed tag with the one in a packet without an early exit (no timing hint for forgers). */
    static boolean equalInConstantTime(byte[] expected, byte[] buf, int off, int len) {
        int difference = 0;
        for (int i = 0; i < len; i++) difference |= expected[i] ^ buf[off + i];
        return difference == 0;
    }

    /** Forgets the key material. */
    void destroy() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
        Arrays.fill(digest, (byte) 0);
        sha1.reset();
    }
}
