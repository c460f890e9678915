package live.cascade.api.acme;

import live.cascade.api.http.SwappableTls;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The certificate the HTTP port's TLS presents, swapped in place on renewal through the node's one mechanism,
 * {@link SwappableTls}: handshakes after the swap get the new certificate, connections already open keep theirs,
 * nothing restarts.
 */
final class ServedCertificate {
    private static final char[] PASSWORD = "acme".toCharArray();

    private final SwappableTls tls;
    private volatile Issued current;
    private volatile boolean fromCa;

    ServedCertificate(Issued initial, boolean fromCa) {
        this.tls = new SwappableTls(keyStore(initial), PASSWORD);
        this.current = initial;
        this.fromCa = fromCa;
    }

    SslContextFactory.Server factory() {
        return tls.factory();
    }

    Issued current() {
        return current;
    }

    /** Whether the served certificate came from the CA (false: the self-signed stand-in served until it does). */
    boolean fromCa() {
        return fromCa;
    }

    /** Serves {@code issued} from the next handshake on. */
    void swap(Issued issued) throws Exception {
        tls.swap(keyStore(issued));
        current = issued;
        fromCa = true;
    }

    private static KeyStore keyStore(Issued issued) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("acme", issued.key().getPrivate(), PASSWORD, issued.chain().toArray(Certificate[]::new));
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the key store of the served certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A self-signed certificate for the domains, served only until the CA's arrives, so the port speaks TLS from the
     * start (a browser warns; a client that pins nothing can still reach {@code /readyz} to see why).
     */
    static Issued placeholder(List<String> domains, Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            var kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + domains.get(0) + ", O=Cascade Live placeholder (no certificate from the CA yet)");
            GeneralName[] sans = domains.stream().map(d -> new GeneralName(GeneralName.dNSName, d)).toArray(GeneralName[]::new);
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(7))), name, kp.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            var cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new Issued(kp, List.of(cert));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the placeholder certificate: " + e.getMessage(), e);
        }
    }
}
