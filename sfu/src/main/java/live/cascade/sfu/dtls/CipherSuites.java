package live.cascade.sfu.dtls;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/** The cipher suites we run DTLS with. */
final class CipherSuites {
    /**
     * ECDHE_ECDSA only: our certificate is ECDSA, and a Bouncy Castle server offering RSA suites it has no key for
     * fails with internal_error when a client prefers one. AEAD only: every current WebRTC stack has
     * ECDHE-ECDSA-AES128-GCM, and with AEAD the shortest valid encrypted record is known, which lets
     * {@link DtlsRecords} discard truncated records that would otherwise make Bouncy Castle fail the association.
     */
    private static final int[] ECDHE_ECDSA_AEAD = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    /** Until a suite is chosen, assume the longest minimum (GCM). */
    static final int DEFAULT_MIN_ENCRYPTED_RECORD = 24;

    private CipherSuites() {}

    static int[] supported(TlsCrypto crypto) {
        return TlsUtils.getSupportedCipherSuites(crypto, ECDHE_ECDSA_AEAD);
    }

    /**
     * Shortest encrypted record body the suite can produce: GCM carries an 8-byte explicit nonce and a 16-byte tag
     * (RFC 5288), ChaCha20-Poly1305 only the tag (RFC 7905).
     */
    static int minEncryptedRecord(int suite) {
        return suite == CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 ? 16 : DEFAULT_MIN_ENCRYPTED_RECORD;
    }
}
