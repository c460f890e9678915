package live.cascade.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session keys of one direction of AES_CM_128_HMAC_SHA1_80 for either SRTP or SRTCP, derived from the DTLS-SRTP
 * master key and salt (RFC 3711 4.3.1, key derivation rate 0: the same keys for every SSRC and every packet).
 */
record AesCmKeys(byte[] encryption, byte[] authentication, byte[] salt) {
    static final int MASTER_KEY_LENGTH = 16;
    static final int SALT_LENGTH = 14;

    static AesCmKeys forRtp(byte[] masterKey, byte[] masterSalt) {
        return derive(masterKey, masterSalt, 0);
    }

    static AesCmKeys forRtcp(byte[] masterKey, byte[] masterSalt) {
        return derive(masterKey, masterSalt, 3);
    }

    /** Labels {@code first}, {@code first + 1} and {@code first + 2}: encryption key, authentication key, salt. */
    private static AesCmKeys derive(byte[] masterKey, byte[] masterSalt, int first) {
        if (masterKey.length != MASTER_KEY_LENGTH) throw new IllegalArgumentException("AES-CM-128 needs a 16-byte master key");
        if (masterSalt.length != SALT_LENGTH) throw new IllegalArgumentException("AES-CM needs a 14-byte master salt");
        return new AesCmKeys(derive(masterKey, masterSalt, first, 16),
                derive(masterKey, masterSalt, first + 1, HmacSha1.LENGTH),
                derive(masterKey, masterSalt, first + 2, SALT_LENGTH));
    }

    /** The session key for {@code label}: AES-CM keystream under the master key from (salt XOR label * 2^48) * 2^16. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, SALT_LENGTH);
        iv[7] ^= (byte) label;
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES/CTR", e);
        }
    }

    /** Overwrites the keys once the ciphers have their own copies. */
    void erase() {
        Arrays.fill(encryption, (byte) 0);
        Arrays.fill(authentication, (byte) 0);
        Arrays.fill(salt, (byte) 0);
    }
}
