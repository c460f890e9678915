package live.cascade.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import live.cascade.sfu.params.IceParameters;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TIMEOUT = 30 * SECOND;
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 5000);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 6000);

    private final IceCredential first = new IceCredential(new IceParameters("first111", "firstPassword0123456789ab"));
    private final IceCredential second = new IceCredential(new IceParameters("second22", "secondPassword0123456789a"));

    @Test
    void firstAuthenticatedCheckSelectsItsPairWhenLenient() {
        IceLiteAgent agent = new IceLiteAgent(first, false, 0);

        assertThat(agent.onAuthenticatedCheck(first, A, false, SECOND)).isEqualTo(CheckOutcome.SELECTED);
        assertThat(agent.selected()).isEqualTo(A);
        assertThat(agent.onAuthenticatedCheck(first, B, false, 2 * SECOND)).isEqualTo(CheckOutcome.VALIDATED);
        assertThat(agent.selected()).isEqualTo(A);
        assertThat(agent.onAuthenticatedCheck(first, B, true, 3 * SECOND)).isEqualTo(CheckOutcome.SELECTED);
        assertThat(agent.selected()).isEqualTo(B);
        assertThat(agent.onAuthenticatedCheck(first, B, true, 4 * SECOND)).isEqualTo(CheckOutcome.CONSENT_REFRESHED);
    }

    @Test
    void strictNominationSelectsOnlyOnUseCandidate() {
        IceLiteAgent agent = new IceLiteAgent(first, true, 0);

        assertThat(agent.onAuthenticatedCheck(first, A, false, SECOND)).isEqualTo(CheckOutcome.VALIDATED);
        assertThat(agent.selected()).isNull();
        assertThat(agent.onAuthenticatedCheck(first, A, true, SECOND)).isEqualTo(CheckOutcome.SELECTED);
    }

    @Test
    void consentIsRefreshedOnlyByTheSelectedPair() {
        IceLiteAgent agent = new IceLiteAgent(first, false, 0);
        agent.onAuthenticatedCheck(first, A, true, 0);

        agent.onAuthenticatedCheck(first, B, false, 20 * SECOND);
        assertThat(agent.consentExpired(31 * SECOND, TIMEOUT)).as("B does not refresh A").isTrue();

        agent.onAuthenticatedCheck(first, A, false, 25 * SECOND);
        assertThat(agent.consentExpired(55 * SECOND, TIMEOUT)).isFalse();
        assertThat(agent.consentExpired(55 * SECOND + 1, TIMEOUT)).isTrue();
    }

    @Test
    void unselectedAgentExpiresFromItsCreation() {
        IceLiteAgent agent = new IceLiteAgent(first, true, 10 * SECOND);
        agent.onAuthenticatedCheck(first, A, false, 20 * SECOND);

        assertThat(agent.consentExpired(40 * SECOND + 1, TIMEOUT)).isTrue();
        assertThat(agent.everSelected()).isFalse();
    }

    @Test
    void restartAcceptsBothGenerationsUntilTheNewOneNominates() {
        IceLiteAgent agent = new IceLiteAgent(first, false, 0);
        agent.onAuthenticatedCheck(first, A, true, 0);

        assertThat(agent.beginRestart(second)).isNull();
        assertThat(agent.credentialFor("first111")).isSameAs(first);
        assertThat(agent.credentialFor("second22")).isSameAs(second);
        assertThat(agent.onAuthenticatedCheck(first, A, false, SECOND)).isEqualTo(CheckOutcome.CONSENT_REFRESHED);

        assertThat(agent.onAuthenticatedCheck(second, B, false, 2 * SECOND)).isEqualTo(CheckOutcome.RESTART_COMPLETED);

        assertThat(agent.current()).isSameAs(second);
        assertThat(agent.pending()).isNull();
        assertThat(agent.selected()).isEqualTo(B);
        assertThat(agent.credentialFor("first111")).isNull();
    }

    @Test
    void strictRestartWaitsForUseCandidateAndASecondRestartSupersedesThePendingOne() {
        IceLiteAgent agent = new IceLiteAgent(first, true, 0);
        agent.onAuthenticatedCheck(first, A, true, 0);
        agent.beginRestart(second);

        assertThat(agent.onAuthenticatedCheck(second, B, false, SECOND)).isEqualTo(CheckOutcome.VALIDATED);
        assertThat(agent.current()).isSameAs(first);

        IceCredential third = new IceCredential(new IceParameters("third333", "thirdPassword0123456789ab"));
        assertThat(agent.beginRestart(third)).isSameAs(second);
        assertThat(agent.credentialFor("second22")).isNull();
        assertThat(agent.onAuthenticatedCheck(third, B, true, 2 * SECOND)).isEqualTo(CheckOutcome.RESTART_COMPLETED);
    }

    @Test
    void randomCredentialsAreIceCharsOfRfcLength() {
        for (int i = 0; i < 100; i++) {
            IceParameters p = IceCredentials.random();
            assertThat(p.ufrag().length()).isGreaterThanOrEqualTo(4);
            assertThat(p.password().length()).isGreaterThanOrEqualTo(22);
            assertThat(IceCredentials.isIceChars(p.ufrag())).isTrue();
            assertThat(IceCredentials.isIceChars(p.password())).isTrue();
        }
        assertThat(IceCredentials.isIceChars("a:b")).isFalse();
        assertThat(IceCredentials.isIceChars("")).isFalse();
    }
}
