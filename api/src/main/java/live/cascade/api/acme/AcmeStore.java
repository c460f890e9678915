package live.cascade.api.acme;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.shredzone.acme4j.util.KeyPairUtils;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ACME files under {@code <data-dir>/acme}: the account key ({@code account-key.pem}) and the certificate with its
 * private key in one file ({@code certificate.pem}), so a crash between two writes can never pair a new certificate
 * with an old key. Both are private keys: written 0600, replaced atomically.
 */
final class AcmeStore {
    private final Path dir;

    AcmeStore(Path dataDir) {
        this.dir = dataDir.resolve("acme");
    }

    Path certificateFile() {
        return dir.resolve("certificate.pem");
    }

    /** The account key, made and stored on first use: the CA knows the account by it. */
    KeyPair accountKey() throws IOException {
        Path file = dir.resolve("account-key.pem");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                return KeyPairUtils.readKeyPair(r);
            }
        }
        KeyPair kp = KeyPairUtils.createKeyPair();
        StringWriter pem = new StringWriter();
        KeyPairUtils.writeKeyPair(kp, pem);
        writePrivate(file, pem.toString());
        return kp;
    }

    /** The stored certificate, if there is a readable one. */
    Optional<Issued> certificate() throws IOException {
        Path file = certificateFile();
        if (!Files.exists(file)) return Optional.empty();
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
            for (Object o; (o = p.readObject()) != null; ) {
                // A traditional EC block may leave the public half out: the leaf certificate carries it.
                if (o instanceof PEMKeyPair kp) key = keys.getPrivateKey(kp.getPrivateKeyInfo());
                else if (o instanceof PrivateKeyInfo info) key = keys.getPrivateKey(info);
                else if (o instanceof X509CertificateHolder h) chain.add(certs.getCertificate(h));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (key == null || chain.isEmpty()) throw new IOException(file + " lacks its key or its certificate");
        return Optional.of(new Issued(new KeyPair(chain.get(0).getPublicKey(), key), chain));
    }

    void saveCertificate(Issued issued) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            // PKCS#8: a traditional EC block from this writer would lose the curve.
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(issued.key().getPrivate(), null));
            for (X509Certificate c : issued.chain()) pem.writeObject(c);
        }
        writePrivate(certificateFile(), out.toString());
    }

    private void writePrivate(Path file, String text) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            w.write(text);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
