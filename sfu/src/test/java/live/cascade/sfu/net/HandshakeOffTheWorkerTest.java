package live.cascade.sfu.net;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import live.cascade.sfu.dtls.HandshakeSlots;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DTLS handshakes run beside the media worker, never on it: a worker whose handshakes all wait for a slot still
 * forwards every packet, the crypto runs on the sessions' own threads, and a transport closed mid-handshake leaves no
 * thread, slot or queue entry behind. One real worker on loopback, with one handshake slot that the test can take.
 */
class HandshakeOffTheWorkerTest {
    private static final int[] AES_CM = {TestPeer.CM};

    private final HandshakeSlots slots = new HandshakeSlots(1);
    private final List<TestPeer> peers = new ArrayList<>();
    private WorkerFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new WorkerFixture(false, WorkerSettings.NO_SETUP_TIMEOUT, false, slots);
    }

    @AfterEach
    void tearDown() {
        peers.forEach(TestPeer::close);
        fixture.close();
    }

    @Test
    void handshakeCompletesWhileTheWorkerKeepsForwarding() throws Exception {
        TestPeer publisher = peer();
        TestPeer viewer = peer();
        RecordingListener publisherEvents = new RecordingListener();
        RecordingListener viewerEvents = new RecordingListener();
        PeerTransport fromPublisher = transport(publisher, DtlsRole.SERVER, publisherEvents);
        PeerTransport toViewer = transport(viewer, DtlsRole.SERVER, viewerEvents);
        PeerSrtp publisherSrtp = connect(publisher, fromPublisher, publisherEvents);
        PeerSrtp viewerSrtp = connect(viewer, toViewer, viewerEvents);
        fromPublisher.setReceiver(new Forwarder(toViewer));

        // Every slot taken: the joining viewer's handshake has to queue for one.
        assertThat(slots.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        TestPeer joining = peer();
        RecordingListener joiningEvents = new RecordingListener();
        PeerTransport joiningTransport = transport(joining, DtlsRole.SERVER, joiningEvents);
        assertThat(joining.check(fixture.address(), joiningTransport.localIce(), true)).isNotNull();
        assertThat(joiningEvents.next()).startsWith("connected");
        CompletableFuture<TestPeer.Keys> joined = CompletableFuture.supplyAsync(() -> {
            try {
                return joining.dtlsClient(fixture.address(), AES_CM, WorkerFixture.CERTIFICATE.fingerprint());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await(() -> slots.waiting() == 1, "the joining viewer's handshake queued for a slot");

        for (int seq = 1; seq <= 50; seq++) {
            byte[] plain = rtp().ssrc(0x5151).seq(seq).ts(seq * 3000L).pt(96).payloadOfLength(1000).build();
            publisher.send(publisherSrtp.protectRtp(plain), fixture.address());
            byte[] forwarded = viewer.awaitMedia(Duration.ofSeconds(5));
            assertThat(forwarded).as("packet %d forwarded while a handshake waits", seq).isNotNull();
            assertThat(viewerSrtp.unprotectRtp(forwarded)).isEqualTo(plain);
        }
        assertThat(joiningTransport.state()).as("still waiting for its turn").isEqualTo(TransportState.CONNECTED);

        slots.release();

        assertThat(joined.get(10, TimeUnit.SECONDS).profile()).isEqualTo(TestPeer.CM);
        assertThat(joiningEvents.next()).isEqualTo("secure");
        List<String> threads = joiningTransport.dtlsHandshakeThreads();
        assertThat(threads).as("signing, the peer's certificate, the key export").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(name -> name.equals("dtls-" + joiningTransport.id()))
                .noneMatch(name -> name.startsWith("media-worker"));
        assertThat(slots.waiting()).isZero();
        assertThat(slots.busy()).isZero();
    }

    @Test
    void closeWhileQueuedForASlotLeavesNothingBehind() throws Exception {
        assertThat(slots.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        TestPeer peer = peer();
        RecordingListener events = new RecordingListener();
        // We are the DTLS client: our handshake starts once ICE selects the pair, and queues for the taken slot.
        PeerTransport transport = transport(peer, DtlsRole.CLIENT, events);
        assertThat(peer.check(fixture.address(), transport.localIce(), true)).isNotNull();
        assertThat(events.next()).startsWith("connected");
        await(() -> slots.waiting() == 1, "our handshake queued for a slot");

        transport.close();

        assertThat(events.next()).isEqualTo("closed DELETED");
        assertNothingLeft(transport);
        slots.release();
        assertThat(slots.busy()).as("the closed handshake took no slot on its way out").isZero();
    }

    @Test
    void closeWhileWaitingForThePeersFlightLeavesNothingBehind() throws Exception {
        TestPeer peer = peer();
        RecordingListener events = new RecordingListener();
        // We are the DTLS client and the peer never answers our ClientHello: the handshake waits for the network.
        PeerTransport transport = transport(peer, DtlsRole.CLIENT, events);
        assertThat(peer.check(fixture.address(), transport.localIce(), true)).isNotNull();
        assertThat(events.next()).startsWith("connected");
        byte[] clientHello = peer.awaitDtls(Duration.ofSeconds(5));
        assertThat(clientHello).as("our ClientHello").isNotNull();
        assertThat(clientHello[13]).as("a ClientHello handshake message").isEqualTo((byte) 1);
        await(() -> slots.busy() == 0, "a handshake waiting for its peer holds no slot");

        transport.close();

        assertThat(events.next()).isEqualTo("closed DELETED");
        assertNothingLeft(transport);
        assertThat(slots.busy()).isZero();
    }

    private void assertNothingLeft(PeerTransport transport) throws InterruptedException {
        assertThat(transport.state()).isEqualTo(TransportState.CLOSED);
        await(() -> !transport.dtlsSessionRunning(), "the DTLS session's thread ended");
        assertThat(slots.waiting()).as("nothing queued for a slot").isZero();
        assertThat(fixture.worker.transportCount()).as("the worker forgot the transport").isZero();
    }

    private TestPeer peer() throws Exception {
        TestPeer peer = new TestPeer();
        peers.add(peer);
        return peer;
    }

    private PeerTransport transport(TestPeer peer, DtlsRole ourRole, RecordingListener events) throws Exception {
        return fixture.worker.createTransport(new TransportParameters(peer.ice(), peer.fingerprint(), ourRole), events);
    }

    /** ICE, then the peer's DTLS client handshake against our server side. */
    private PeerSrtp connect(TestPeer peer, PeerTransport transport, RecordingListener events) throws Exception {
        assertThat(peer.check(fixture.address(), transport.localIce(), true)).isNotNull();
        assertThat(events.next()).startsWith("connected");
        PeerSrtp srtp = new PeerSrtp(peer.dtlsClient(fixture.address(), AES_CM, WorkerFixture.CERTIFICATE.fingerprint()));
        assertThat(events.next()).isEqualTo("secure");
        return srtp;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The smallest router: every packet of one transport, re-protected and sent out on another (on the worker). */
    private record Forwarder(PeerTransport to) implements MediaReceiver {
        @Override
        public void onRtp(byte[] buf, int off, int len) {
            to.sendRtp(Arrays.copyOfRange(buf, off, off + len + MediaTransport.SRTP_TAIL_ROOM), 0, len);
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) { }
    }
}
