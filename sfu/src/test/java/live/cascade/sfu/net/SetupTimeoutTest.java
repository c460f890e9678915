package live.cascade.sfu.net;

import live.cascade.sfu.transport.CloseReason;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A transport that is only an offer (no ICE, or ICE without DTLS) is closed at the setup timeout, not the consent one. */
class SetupTimeoutTest {
    private static final Duration SETUP = Duration.ofSeconds(8);

    private WorkerFixture fixture;
    private TestPeer peer;
    private RecordingListener events;
    private PeerTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new WorkerFixture(false, SETUP);
        peer = new TestPeer();
        events = new RecordingListener();
        transport = fixture.worker.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), events);
    }

    @AfterEach
    void tearDown() {
        peer.close();
        fixture.close();
    }

    @Test
    void transportWithoutAnyIceCheckIsClosedAtTheSetupTimeout() throws Exception {
        fixture.advance(SETUP.minusSeconds(1));
        fixture.sweep();
        assertThat(transport.state()).as("7 s old, within the setup timeout").isEqualTo(TransportState.NEW);

        fixture.advance(Duration.ofSeconds(2));
        fixture.sweep();

        assertThat(events.next()).isEqualTo("closed SETUP_TIMEOUT");
        assertThat(transport.closeReason()).isEqualTo(CloseReason.SETUP_TIMEOUT);
        assertThat(fixture.worker.transportCount()).isZero();
    }

    @Test
    void transportThatDidIceButNeverDtlsIsClosedAtTheSetupTimeoutThoughItsConsentIsFresh() throws Exception {
        IceParameters server = transport.localIce();
        assertThat(peer.check(fixture.address(), server, true)).isNotNull();
        assertThat(events.next()).startsWith("connected");

        fixture.advance(SETUP.plusSeconds(1));
        assertThat(peer.check(fixture.address(), server, false)).as("consent refreshed just now").isNotNull();
        fixture.sweep();

        assertThat(events.next()).isEqualTo("closed SETUP_TIMEOUT");
        assertThat(transport.state()).isEqualTo(TransportState.CLOSED);
    }
}
