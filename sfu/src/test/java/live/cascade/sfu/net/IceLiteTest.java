package live.cascade.sfu.net;

import live.cascade.sfu.transport.TransportListener;
import live.cascade.sfu.transport.CloseReason;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ICE-lite through a real worker socket: answers, drops, nomination, consent, restart. */
class IceLiteTest {
    private static final Duration NOTHING = Duration.ofMillis(300);

    private WorkerFixture fixture;
    private TestPeer peer;
    private RecordingListener events;
    private PeerTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new WorkerFixture(false);
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
    void browserCheckIsAnsweredWithXorMappedAddressIntegrityAndFingerprintAndNominates() throws Exception {
        IceParameters server = transport.localIce();
        byte[] request = StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true);
        peer.send(request, fixture.address());

        byte[] response = peer.awaitStun(Duration.ofSeconds(5));

        assertThat(response).isNotNull();
        StunRequests.assertBindingSuccess(response, request, server.password(), peer.address());
        assertThat(events.next()).isEqualTo("connected " + peer.address());
        assertThat(transport.state()).isEqualTo(TransportState.CONNECTED);
        assertThat(transport.selectedAddress()).isEqualTo(peer.address());
        assertThat(fixture.counter("STUN_RESPONSES")).isEqualTo(1);
    }

    @Test
    void ffmpegStyleCheckWithoutPriorityOrIceControllingIsAnsweredAndNominates() throws Exception {
        IceParameters server = transport.localIce();
        byte[] request = StunRequests.ffmpegCheck(server.ufrag(), server.password(), peer.ice().ufrag());
        peer.send(request, fixture.address());

        byte[] response = peer.awaitStun(Duration.ofSeconds(5));

        assertThat(response).isNotNull();
        StunRequests.assertBindingSuccess(response, request, server.password(), peer.address());
        assertThat(events.next()).startsWith("connected");
        assertThat(transport.state()).isEqualTo(TransportState.CONNECTED);
    }

    @Test
    void checkWithoutUseCandidateNominatesWhileNoPairIsSelected() throws Exception {
        IceParameters server = transport.localIce();
        byte[] request = StunRequests.ice4jCheck(server.ufrag() + ":" + peer.ice().ufrag(), server.password(),
                false, false);
        peer.send(request, fixture.address());

        assertThat(peer.awaitStun(Duration.ofSeconds(5))).isNotNull();
        assertThat(events.next()).startsWith("connected");
        assertThat(transport.state()).isEqualTo(TransportState.CONNECTED);
    }

    @Test
    void strictNominationAnswersButWaitsForUseCandidate() throws Exception {
        try (WorkerFixture strict = new WorkerFixture(true)) {
            PeerTransport t = strict.worker.createTransport(
                    new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), TransportListener.NONE);
            IceParameters server = t.localIce();
            peer.send(StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), false),
                    strict.address());
            assertThat(peer.awaitStun(Duration.ofSeconds(5))).isNotNull();
            assertThat(t.state()).isEqualTo(TransportState.CHECKING);

            peer.send(StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true),
                    strict.address());
            assertThat(peer.awaitStun(Duration.ofSeconds(5))).isNotNull();
            assertThat(t.state()).isEqualTo(TransportState.CONNECTED);
        }
    }

    @Test
    void badMessageIntegrityIsDroppedAndCounted() throws Exception {
        IceParameters server = transport.localIce();
        peer.send(StunRequests.ice4jCheck(server.ufrag() + ":" + peer.ice().ufrag(), "notTheServerPassword00000",
                true, true), fixture.address());

        fixture.awaitDrop(DropReason.STUN_BAD_INTEGRITY, 1);
        assertThat(peer.awaitStun(NOTHING)).isNull();
        assertThat(transport.state()).isEqualTo(TransportState.NEW);
        assertThat(fixture.counter("STUN_RESPONSES")).isZero();
    }

    @Test
    void unknownUfragIsDroppedAndCounted() throws Exception {
        peer.send(StunRequests.browserCheck("nobody00", transport.localIce().password(), peer.ice().ufrag(), true),
                fixture.address());

        fixture.awaitDrop(DropReason.STUN_UNKNOWN_UFRAG, 1);
        assertThat(peer.awaitStun(NOTHING)).isNull();
    }

    @Test
    void corruptedFingerprintIsDroppedAndCounted() throws Exception {
        IceParameters server = transport.localIce();
        byte[] request = StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true);
        request[request.length - 1] ^= 0x01;
        peer.send(request, fixture.address());

        fixture.awaitDrop(DropReason.STUN_BAD_FINGERPRINT, 1);
        assertThat(peer.awaitStun(NOTHING)).isNull();
    }

    @Test
    void consentLapseClosesTheTransportAndRevokesIt() throws Exception {
        IceParameters server = transport.localIce();
        assertThat(peer.check(fixture.address(), server, true)).isNotNull();
        assertThat(events.next()).startsWith("connected");

        fixture.advance(Duration.ofSeconds(20));
        assertThat(peer.check(fixture.address(), server, false)).isNotNull();
        fixture.advance(Duration.ofSeconds(20));
        fixture.sweep();
        assertThat(transport.state()).as("refreshed 20 s ago").isEqualTo(TransportState.CONNECTED);

        fixture.advance(Duration.ofSeconds(11));
        fixture.sweep();

        assertThat(events.next()).isEqualTo("closed CONSENT_EXPIRED");
        assertThat(transport.state()).isEqualTo(TransportState.CLOSED);
        assertUnanswered(server, 1);
    }

    @Test
    void transportThatNeverConnectsTimesOut() throws Exception {
        fixture.advance(WorkerFixture.CONSENT_TIMEOUT.plusSeconds(1));
        fixture.sweep();

        assertThat(events.next()).isEqualTo("closed ICE_TIMEOUT");
        assertThat(fixture.worker.transportCount()).isZero();
    }

    @Test
    void closeRevokesConsentAtOnce() throws Exception {
        IceParameters server = transport.localIce();
        assertThat(peer.check(fixture.address(), server, true)).isNotNull();

        transport.close();

        assertThat(transport.closeReason()).isEqualTo(CloseReason.DELETED);
        assertThat(events.next()).startsWith("connected");
        assertThat(events.next()).isEqualTo("closed DELETED");
        assertUnanswered(server, 1);
    }

    @Test
    void iceRestartKeepsTheOldCredentialsUntilTheNewOnesNominate() throws Exception {
        IceParameters old = transport.localIce();
        assertThat(peer.check(fixture.address(), old, true)).isNotNull();

        IceParameters fresh = transport.restartIce(new IceParameters("peer2", "peerPassword2-0123456789ab"));

        assertThat(fresh.ufrag()).isNotEqualTo(old.ufrag());
        assertThat(transport.localIce()).isEqualTo(fresh);
        assertThat(peer.check(fixture.address(), old, false)).as("old generation still answered").isNotNull();
        assertThat(peer.check(fixture.address(), fresh, true)).as("new generation answered").isNotNull();
        assertUnanswered(old, 1);
        assertThat(transport.state()).isEqualTo(TransportState.CONNECTED);
    }

    @Test
    void dtlsAndRtpFromUnauthenticatedAddressesAndUnknownBytesAreDroppedAndCounted() throws Exception {
        peer.send(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, fixture.address());
        peer.send(rtp().ssrc(1234).seq(1).pt(96).payloadOfLength(20).build(), fixture.address());
        peer.send(new byte[] {0x40, 1, 2, 3}, fixture.address());
        peer.send(new byte[0], fixture.address());

        fixture.awaitDrop(DropReason.DTLS_UNKNOWN_PEER, 1);
        fixture.awaitDrop(DropReason.RTP_UNKNOWN_PEER, 1);
        fixture.awaitDrop(DropReason.NOT_STUN_DTLS_RTP, 2);
    }

    @Test
    void srtpBeforeDtlsIsDroppedAndSendBeforeSecureIsRefused() throws Exception {
        assertThat(peer.check(fixture.address(), transport.localIce(), true)).isNotNull();
        peer.send(rtp().ssrc(1234).seq(1).pt(96).payloadOfLength(20).build(), fixture.address());
        fixture.awaitDrop(DropReason.RTP_BEFORE_DTLS, 1);
        peer.send(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 1}, fixture.address());
        fixture.awaitDrop(DropReason.DTLS_MALFORMED, 1);

        byte[] rtp = Arrays.copyOf(rtp().ssrc(5678).seq(1).pt(96).payloadOfLength(20).build(), 64);
        fixture.worker.call(() -> {
            transport.sendRtp(rtp, 0, 32);
            return null;
        });
        assertThat(fixture.drops(DropReason.TX_NOT_SECURE)).isEqualTo(1);
    }

    /** Sends a valid-looking check under {@code server} and asserts it is dropped as an unknown ufrag. */
    private void assertUnanswered(IceParameters server, long expectedUnknownUfragDrops) throws Exception {
        peer.send(StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true),
                fixture.address());
        fixture.awaitDrop(DropReason.STUN_UNKNOWN_UFRAG, expectedUnknownUfragDrops);
        assertThat(peer.awaitStun(NOTHING)).isNull();
    }

    @Test
    void createdTransportHasIceCharCredentialsAndTheWorkersCandidate() {
        IceParameters local = transport.localIce();
        assertThat(local.ufrag()).hasSizeGreaterThanOrEqualTo(4).matches("[A-Za-z0-9+/]+");
        assertThat(local.password()).hasSizeGreaterThanOrEqualTo(22).matches("[A-Za-z0-9+/]+");
        assertThat(transport.localCandidates()).singleElement()
                .satisfies(c -> {
                    assertThat(c.address()).isEqualTo("127.0.0.1");
                    assertThat(c.port()).isEqualTo(fixture.address().getPort());
                });
    }

}
