package live.cascade.sfu.net;

import live.cascade.sfu.transport.CloseReason;
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
 * @param setupTimeout        a transport not secure (ICE and DTLS done) this long after it was created is closed
 *                            ({@link CloseReason#SETUP_TIMEOUT}), so a session that is only an offer cannot hold a
 *                            slot for the whole consent timeout
 */
public record WorkerSettings(DtlsSettings dtls, Duration consentTimeout, boolean requireUseCandidate,
                             LongSupplier nanoClock, Duration setupTimeout) {
    public WorkerSettings {
        Objects.requireNonNull(dtls, "dtls");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(setupTimeout, "setupTimeout");
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
        if (setupTimeout.isNegative() || setupTimeout.isZero()) {
            throw new IllegalArgumentException("setup timeout must be positive");
        }
    }

    /** Without a setup timeout: only consent (and the DTLS handshake timeout) end a transport that never gets secure. */
    public WorkerSettings(DtlsSettings dtls, Duration consentTimeout, boolean requireUseCandidate, LongSupplier nanoClock) {
        this(dtls, consentTimeout, requireUseCandidate, nanoClock, NO_SETUP_TIMEOUT);
    }

    /** A setup timeout that never fires. */
    public static final Duration NO_SETUP_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);
}
