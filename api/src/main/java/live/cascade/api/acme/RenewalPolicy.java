package live.cascade.api.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the node next asks the CA for a certificate: at once without one (or with one that does not cover the domains),
 * when {@code renewBefore} of the current one's life is left, and otherwise looks again every {@code checkInterval} (so
 * a clock change or a revoked certificate replaced by hand is noticed). After failures it backs off from
 * {@link #FIRST_RETRY}, doubling up to {@code checkInterval}, and never retries before a CA's Retry-After.
 */
public record RenewalPolicy(Duration renewBefore, Duration checkInterval) {
    public static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    /** Whether a certificate valid until {@code notAfter} should be replaced now. */
    public boolean due(Instant now, Instant notAfter) {
        return !now.isBefore(notAfter.minus(renewBefore));
    }

    /** The next look after a successful one (or at start) with a certificate valid until {@code notAfter}. */
    public Instant nextCheck(Instant now, Instant notAfter) {
        Instant due = notAfter.minus(renewBefore);
        if (!now.isBefore(due)) return now;
        Instant regular = now.plus(checkInterval);
        return due.isBefore(regular) ? due : regular;
    }

    /** The retry after {@code failures} (1 for the first) failed attempts in a row. */
    public Instant retryAt(Instant now, int failures, Optional<Instant> retryAfter) {
        Duration wait = FIRST_RETRY;
        for (int i = 1; i < failures && wait.compareTo(checkInterval) < 0; i++) wait = wait.multipliedBy(2);
        if (wait.compareTo(checkInterval) > 0) wait = checkInterval;
        Instant at = now.plus(wait);
        return retryAfter.filter(at::isBefore).orElse(at);
    }
}
