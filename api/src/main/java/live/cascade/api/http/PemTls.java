package live.cascade.api.http;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads a PEM certificate chain and private key (what Let's Encrypt and openssl produce) into an in-memory key store. */
public final class PemTls {
    public static final char[] PASSWORD = "cascade".toCharArray();

    private PemTls() {
    }

    /** Thrown with a sentence naming the file and what was wrong with it. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }

    /** The files read: the key store (key entry under {@link #PASSWORD}) and the chain, leaf first. */
    public record Pem(KeyStore keyStore, List<X509Certificate> chain) {
        public Pem {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /**
     * Reads both files and checks that the key is the certificate's (a key store would take any key beside any
     * certificate, and every handshake would then fail). Validity dates are the caller's to judge.
     */
    public static Pem read(Path certFile, Path keyFile) throws PemException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certFile); PEMParser p = new PEMParser(r)) {
            for (Object o; (o = p.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) chain.add(certs.getCertificate(h));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new PemException("--tls-cert " + certFile + " is not a readable PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) throw new PemException("--tls-cert " + certFile + " holds no CERTIFICATE block");
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            Object o = p.readObject();
            // A traditional "EC PRIVATE KEY" block may omit the public key, so take the private half on its own.
            if (o instanceof PEMKeyPair kp) key = conv.getPrivateKey(kp.getPrivateKeyInfo());
            else if (o instanceof PrivateKeyInfo info) key = conv.getPrivateKey(info);
            else throw new PemException("--tls-key " + keyFile + " holds no unencrypted PRIVATE KEY block");
        } catch (IOException e) {
            throw new PemException("--tls-key " + keyFile + " is not a readable PEM private key: " + e.getMessage());
        }
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new PemException("--tls-key " + keyFile + " is not the private key of the certificate in --tls-cert " + certFile);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("cascade", key, PASSWORD, chain.toArray(Certificate[]::new));
            return new Pem(ks, chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new PemException("--tls-key " + keyFile + " does not match --tls-cert " + certFile + ": " + e.getMessage());
        }
    }

    /** Whether {@code key} signs what {@code certified} verifies: one test for RSA, EC and EdDSA keys alike. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) return true; // a kind this check does not know: the handshake will tell
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key beside an RSA certificate
        }
    }
}
