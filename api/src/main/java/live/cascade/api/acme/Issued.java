package live.cascade.api.acme;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A certificate chain (leaf first) with the key pair of its leaf. */
record Issued(KeyPair key, List<X509Certificate> chain) {
    Issued {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Whether the leaf names every one of {@code domains} (lower case) among its DNS subject alternative names. */
    boolean covers(List<String> domains) {
        try {
            var sans = leaf().getSubjectAlternativeNames();
            if (sans == null) return false;
            var names = sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0)))
                    .map(s -> s.get(1).toString().toLowerCase(Locale.ROOT)).toList();
            return names.containsAll(domains);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }
}
