package live.cascade.sfu.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import live.cascade.sfu.params.DtlsFingerprint;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Our DTLS identity: a self-signed ECDSA P-256 certificate made at start. WebRTC authenticates certificates only by
 * the fingerprint carried in SDP, so there is no CA, and one certificate per engine serves every transport.
 */
public final class DtlsCertificate {
    /** Hash algorithms accepted in a remote {@code a=fingerprint}; MD5/MD2 are refused (RFC 8122 still lists them). */
    private static final Set<String> FINGERPRINT_ALGORITHMS = Set.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    private final PrivateKey privateKey;
    private final byte[] der;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(PrivateKey privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = fingerprintOf(der, "sha-256");
    }

    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=cascade-live");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, new SecureRandom()),
                    // Back-dated a day: a peer with a slow clock must not see a certificate from the future.
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    name, keys.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(keys.getPrivate(), der);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        }
    }

    /** The sha-256 fingerprint (upper-case, colon-separated hex) for the SDP answer's {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() { return fingerprint; }

    /** The certificate in DER. */
    public byte[] encoded() { return der.clone(); }

    PrivateKey privateKey() { return privateKey; }

    byte[] der() { return der; }

    /**
     * The fingerprint of a DER certificate under {@code algorithm} (SDP name, e.g. {@code sha-256}).
     *
     * @throws IllegalArgumentException for an algorithm we do not accept
     */
    public static DtlsFingerprint fingerprintOf(byte[] der, String algorithm) {
        String alg = algorithm.toLowerCase(Locale.ROOT);
        if (!FINGERPRINT_ALGORITHMS.contains(alg)) {
            throw new IllegalArgumentException("unsupported fingerprint algorithm " + algorithm);
        }
        try {
            byte[] digest = MessageDigest.getInstance(alg.toUpperCase(Locale.ROOT)).digest(der);
            return new DtlsFingerprint(alg, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is a mandatory JDK algorithm", e);
        }
    }

    /** True when {@code der} hashes to {@code expected} under the expected fingerprint's own algorithm. */
    public static boolean matches(byte[] der, DtlsFingerprint expected) {
        Objects.requireNonNull(expected, "expected");
        if (!FINGERPRINT_ALGORITHMS.contains(expected.algorithm())) return false;
        return fingerprintOf(der, expected.algorithm()).value().equals(expected.value());
    }
}
