package live.cascade.sfu.params;

import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as carried by {@code a=fingerprint}: hash algorithm (lower case, e.g. {@code sha-256})
 * and the digest as upper-case, colon-separated hex.
 */
public record DtlsFingerprint(String algorithm, String value) {
    public DtlsFingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
    }
}
