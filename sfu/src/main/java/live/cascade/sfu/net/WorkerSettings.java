package live.cascade.sfu.net;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import live.cascade.sfu.dtls.DtlsSettings;

/**
 * What every media worker and its transports need from the engine's configuration.
 *
 * @param dtls                our certificate, SRTP profiles and handshake timeout
 * @param consentTimeout      RFC 7675 consent lifetime: no authenticated check on the selected pair for this long
 *                            closes the transport
 * @param requireUseCandidate nominate only on USE-CANDIDATE (strict); false nominates the first authenticated check
 *                            of an ICE generation with no selected pair (lenient, the default)
 * @param nanoClock           monotonic clock in nanoseconds ({@code System::nanoTime}; tests substitute their own)
 */
public record WorkerSettings(DtlsSettings dtls, Duration consentTimeout, boolean requireUseCandidate,
                             LongSupplier nanoClock) {
    public WorkerSettings {
        Objects.requireNonNull(dtls, "dtls");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
    }
}
