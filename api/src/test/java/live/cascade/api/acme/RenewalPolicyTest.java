package live.cascade.api.acme;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalPolicyTest {
    static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    final RenewalPolicy policy = new RenewalPolicy(Duration.ofDays(30), Duration.ofHours(12));

    @Test
    void aCertificateWithMoreThanRenewBeforeLeftIsNotDueAndIsLookedAtAgainAfterTheInterval() {
        Instant notAfter = NOW.plus(Duration.ofDays(60));
        assertThat(policy.due(NOW, notAfter)).isFalse();
        assertThat(policy.nextCheck(NOW, notAfter)).isEqualTo(NOW.plus(Duration.ofHours(12)));
    }

    @Test
    void theNextLookFallsOnTheMomentTheCertificateBecomesDueWhenThatIsSoonerThanTheInterval() {
        Instant notAfter = NOW.plus(Duration.ofDays(30)).plus(Duration.ofHours(3));
        assertThat(policy.due(NOW, notAfter)).isFalse();
        assertThat(policy.nextCheck(NOW, notAfter)).isEqualTo(NOW.plus(Duration.ofHours(3)));
    }

    @Test
    void thirtyDaysOrLessLeftIsDueAtOnce() {
        assertThat(policy.due(NOW, NOW.plus(Duration.ofDays(30)))).isTrue();
        assertThat(policy.due(NOW, NOW.plus(Duration.ofDays(2)))).isTrue();
        assertThat(policy.due(NOW, NOW.minus(Duration.ofDays(1)))).as("expired").isTrue();
        assertThat(policy.nextCheck(NOW, NOW.plus(Duration.ofDays(29)))).isEqualTo(NOW);
    }

    @Test
    void failuresBackOffFromAMinuteDoublingUpToTheCheckInterval() {
        assertThat(policy.retryAt(NOW, 1, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(policy.retryAt(NOW, 2, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(policy.retryAt(NOW, 5, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(16)));
        assertThat(policy.retryAt(NOW, 10, Optional.empty())).isEqualTo(NOW.plus(Duration.ofHours(8).plusMinutes(32)));
        assertThat(policy.retryAt(NOW, 11, Optional.empty())).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(policy.retryAt(NOW, 1_000, Optional.empty())).as("no overflow").isEqualTo(NOW.plus(Duration.ofHours(12)));
    }

    @Test
    void aCasRetryAfterLaterThanTheBackOffWinsAndAnEarlierOneDoesNot() {
        Instant later = NOW.plus(Duration.ofHours(3));
        assertThat(policy.retryAt(NOW, 1, Optional.of(later))).isEqualTo(later);
        assertThat(policy.retryAt(NOW, 3, Optional.of(NOW.plusSeconds(5)))).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void aShortCheckIntervalCapsTheBackOff() {
        RenewalPolicy quick = new RenewalPolicy(Duration.ofDays(30), Duration.ofMinutes(1));
        assertThat(quick.retryAt(NOW, 1, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(quick.retryAt(NOW, 6, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    }
}
