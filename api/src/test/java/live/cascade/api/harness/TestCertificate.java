package live.cascade.api.harness;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A self-signed EC certificate made by Bouncy Castle for 127.0.0.1 and localhost, with its key, written as the PEM
 * files an operator gives the node ({@code --tls-cert}, {@code --tls-key}): a chain of one and a PKCS#8 key.
 */
public record TestCertificate(KeyPair key, X509Certificate certificate) {
    /** Valid from an hour ago for a day. */
    public static TestCertificate selfSigned(String commonName) {
        Instant now = Instant.now();
        return selfSigned(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    public static TestCertificate selfSigned(String commonName, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()), Date.from(notBefore),
                    Date.from(notAfter), name, kp.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new TestCertificate(kp, cert);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the certificate to {@code certFile} and {@code keyOf}'s key to {@code keyFile} (this certificate's own key
     * unless a test wants a mismatch), each through a temporary file and a rename, as an operator's tooling should: a
     * reload never sees half a file.
     */
    public void write(Path certFile, Path keyFile, TestCertificate keyOf) {
        try {
            writePem(certFile, certificate);
            writePem(keyFile, new JcaPKCS8Generator(keyOf.key.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path certFile, Path keyFile) {
        write(certFile, keyFile, this);
    }

    private static void writePem(Path file, Object object) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
