package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.transport.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passive ICE-TCP on a real worker: a real TCP socket carries RFC 4571 framed STUN into the same ICE-lite path. */
class IceTcpTest {
    private WorkerFixture fixture;
    private TestPeer peer;
    private RecordingListener events;
    private PeerTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new WorkerFixture(false, Duration.ofSeconds(1), true);
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

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(fixture.address().getAddress(), fixture.worker.tcpPort()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void sendFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeShort(frame.length);
        out.write(frame);
        out.flush();
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        return frame;
    }

    @Test
    void passiveTcpCandidatesFollowTheUdpOnesAtALowerPriority() {
        var candidates = fixture.worker.candidates();
        assertThat(candidates).extracting(Candidate::protocol)
                .containsExactly(Candidate.Protocol.UDP, Candidate.Protocol.TCP_PASSIVE);
        assertThat(candidates.get(1).port()).isEqualTo(fixture.worker.tcpPort());
        assertThat(candidates.get(1).priority()).isLessThan(candidates.get(0).priority());
    }

    @Test
    void aFramedCheckOverTcpIsAnsweredOnTheConnectionAndSelectsIt() throws Exception {
        IceParameters server = transport.localIce();
        try (Socket socket = connect()) {
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());
            byte[] request = StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true);
            sendFrame(out, request);

            byte[] response = readFrame(in);

            InetSocketAddress client = (InetSocketAddress) socket.getLocalSocketAddress();
            StunRequests.assertBindingSuccess(response, request, server.password(), client);
            assertThat(events.next()).isEqualTo("connected " + client);
            assertThat(transport.selectedAddress()).isEqualTo(client);
            assertThat(transport.selectedOverTcp()).isTrue();
            assertThat(fixture.counter("TCP_CONNECTIONS_ACCEPTED")).isEqualTo(1);
        }
    }

    @Test
    void badFramesAreDroppedAndCountedAndTheConnectionKeepsWorking() throws Exception {
        IceParameters server = transport.localIce();
        try (Socket socket = connect()) {
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());
            sendFrame(out, new byte[0]);
            sendFrame(out, new byte[MediaWorker.MAX_DATAGRAM + 1]);
            sendFrame(out, new byte[] {(byte) 0xFF, 1, 2, 3});
            byte[] request = StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true);
            sendFrame(out, request);

            StunRequests.assertBindingSuccess(readFrame(in), request, server.password(),
                    (InetSocketAddress) socket.getLocalSocketAddress());
            assertThat(fixture.drops(DropReason.TCP_FRAME_EMPTY)).isEqualTo(1);
            assertThat(fixture.drops(DropReason.TCP_FRAME_OVERSIZED)).isEqualTo(1);
            assertThat(fixture.drops(DropReason.NOT_STUN_DTLS_RTP)).isEqualTo(1);
        }
    }

    @Test
    void closingTheSelectedConnectionClosesTheTransport() throws Exception {
        IceParameters server = transport.localIce();
        try (Socket socket = connect()) {
            var out = new DataOutputStream(socket.getOutputStream());
            sendFrame(out, StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true));
            readFrame(new DataInputStream(socket.getInputStream()));
        }
        fixture.awaitCounter("TCP_CONNECTIONS_CLOSED", 1);
        assertThat(transport.closeReason()).isEqualTo(CloseReason.TCP_CLOSED);
    }

    @Test
    void aConnectionWithoutAnAuthenticatedCheckIsClosedAfterTheSetupTimeout() throws Exception {
        try (Socket socket = connect()) {
            // Nothing authenticated is ever sent; the worker hangs up (read sees end of stream).
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            fixture.awaitCounter("TCP_UNAUTHENTICATED_CLOSED", 1);
        }
    }

    @Test
    void aPeerThatStopsReadingIsDroppedOnceItsQueueStaysFullWithItsTransport() throws Exception {
        IceParameters server = transport.localIce();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(fixture.address().getAddress(), fixture.worker.tcpPort()), 5000);
            socket.setSoTimeout(5000);
            var out = new DataOutputStream(socket.getOutputStream());
            sendFrame(out, StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true));
            readFrame(new DataInputStream(socket.getInputStream()));
            InetSocketAddress client = (InetSocketAddress) socket.getLocalSocketAddress();
            IceTcpConnection connection = fixture.worker.call(() -> fixture.worker.tcpRoutes.get(client));
            assertThat(connection).isNotNull();

            // From here on the peer reads nothing: the worker keeps sending, as it would to a viewer, until it gives up.
            byte[] packet = new byte[1200];
            Runnable burst = new Runnable() {
                @Override
                public void run() {
                    for (int i = 0; i < 200; i++) connection.send(packet, 0, packet.length);
                    if (fixture.worker.tcpRoutes.containsValue(connection)) {
                        fixture.worker.schedule(this, 5, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
            };
            fixture.worker.execute(burst);

            fixture.awaitCounter("TCP_SLOW_PEERS_CLOSED", 1);
            assertThat(fixture.drops(DropReason.TX_TCP_QUEUE_FULL)).isPositive();
            assertThat(transport.closeReason()).isEqualTo(CloseReason.TCP_CLOSED);
        }
    }
}
