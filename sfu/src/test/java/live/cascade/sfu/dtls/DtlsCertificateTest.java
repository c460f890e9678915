package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import live.cascade.sfu.params.DtlsFingerprint;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    @Test
    void isASelfSignedP256EcdsaCertificate() throws Exception {
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CERT.encoded()));

        x509.verify(x509.getPublicKey());
        x509.checkValidity();
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    }

    @Test
    void fingerprintIsUpperCaseColonHexSha256OfTheDer() throws Exception {
        DtlsFingerprint fp = CERT.fingerprint();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(CERT.encoded());

        assertThat(fp.algorithm()).isEqualTo("sha-256");
        assertThat(fp.value()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(fp.value()).isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    @Test
    void matchesUsesTheExpectedFingerprintsAlgorithm() {
        byte[] der = CERT.encoded();
        DtlsFingerprint sha1 = DtlsCertificate.fingerprintOf(der, "sha-1");

        assertThat(DtlsCertificate.matches(der, sha1)).isTrue();
        assertThat(DtlsCertificate.matches(der, new DtlsFingerprint("sha-256", sha1.value()))).isFalse();
        assertThat(DtlsCertificate.matches(der, DtlsCertificate.generate().fingerprint())).isFalse();
        assertThat(DtlsCertificate.matches(der, new DtlsFingerprint("md5", "00"))).isFalse();
        assertThatThrownBy(() -> DtlsCertificate.fingerprintOf(der, "md5")).isInstanceOf(IllegalArgumentException.class);
    }
}
