package live.cascade.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The AES-CM part of SRTP and SRTCP (RFC 3711 4.1.1): XORs the keystream for one packet, which starts at
 * (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), where the index is the 48-bit SRTP packet index or the 31-bit
 * SRTCP index. Not thread-safe.
 */
final class AesCmCipher {
    private final AesCounterMode keystream;
    private final byte[] salt;

    AesCmCipher(byte[] key, byte[] salt) {
        this.keystream = new AesCounterMode(key);
        this.salt = salt.clone();
    }

    void apply(byte[] buf, int off, int len, int ssrc, long index) throws GeneralSecurityException {
        byte[] iv = keystream.counter();
        System.arraycopy(salt, 0, iv, 0, AesCmKeys.SALT_LENGTH);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
        iv[14] = 0;
        iv[15] = 0;
        keystream.apply(buf, off, len);
    }

    void destroy() {
        keystream.destroy();
        Arrays.fill(salt, (byte) 0);
    }
}
