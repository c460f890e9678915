package live.cascade.sfu.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.ice.IceCredentials;
import live.cascade.sfu.net.PeerTransport;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay's transport against an in-process origin: two media engines on loopback, the origin's transport an ordinary
 * ICE-lite DTLS server (as for any WHEP viewer), the edge's a controlling ICE agent and DTLS client. Both become
 * secure, SRTP flows both ways, and the origin closing is seen by the edge.
 */
class ControllingTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static MediaEngineConfig loopback() {
        return MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0).withWorkerCount(1)
                .withAdvertisedAddresses(List.of(LOOPBACK));
    }

    /** Records a transport's life. */
    private static final class Events implements TransportListener {
        final CompletableFuture<InetSocketAddress> connected = new CompletableFuture<>();
        final CompletableFuture<Void> secure = new CompletableFuture<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        @Override public void onConnected(TransportControl t, InetSocketAddress remote) { connected.complete(remote); }

        @Override public void onSecure(TransportControl t) { secure.complete(null); }

        @Override public void onClosed(TransportControl t, CloseReason reason) { closed.complete(reason); }
    }

    /** Keeps copies of what arrives. */
    private static final class Received implements MediaReceiver {
        final LinkedBlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();

        @Override public void onRtp(byte[] buf, int off, int len) { rtp.add(Arrays.copyOfRange(buf, off, off + len)); }

        @Override public void onRtcp(byte[] buf, int off, int len) { rtcp.add(Arrays.copyOfRange(buf, off, off + len)); }
    }

    @Test
    void theEdgeChecksTheIceLiteOriginThenDtlsAsClientAndSrtpFlowsBothWaysUntilTheOriginCloses() throws Exception {
        try (MediaEngine origin = MediaEngine.start(loopback()); MediaEngine edge = MediaEngine.start(loopback())) {
            IceParameters edgeIce = IceCredentials.random();
            Events atOrigin = new Events();
            PeerTransport toEdge = origin.createTransport(
                    new TransportParameters(edgeIce, edge.certificateFingerprint(), DtlsRole.SERVER), 0, atOrigin);
            Events atEdge = new Events();
            InetSocketAddress originAddress = new InetSocketAddress(LOOPBACK, origin.worker(0).port());
            // An unreachable candidate first: checks go to every candidate, and the one that answers is selected.
            InetSocketAddress dead = new InetSocketAddress(LOOPBACK, freeUdpPort());
            TransportControl toOrigin = edge.lane("relay").openControllingTransport(
                    new TransportParameters(toEdge.localIce(), origin.certificateFingerprint(), DtlsRole.CLIENT), edgeIce,
                    List.of(dead, originAddress), Duration.ofSeconds(5), atEdge);

            assertThat(atEdge.connected.get(10, TimeUnit.SECONDS)).as("the edge selected the origin's address").isEqualTo(originAddress);
            atEdge.secure.get(20, TimeUnit.SECONDS);
            atOrigin.secure.get(20, TimeUnit.SECONDS);
            assertThat(toOrigin.srtpProfile()).isEqualTo(toEdge.srtpProfile()).isNotNull();
            assertThat(toEdge.selectedAddress().getPort()).as("the origin sees the edge's media socket").isEqualTo(edge.worker(0).port());

            Received edgeGot = new Received();
            Received originGot = new Received();
            toOrigin.setReceiver(edgeGot);
            toEdge.setReceiver(originGot);
            byte[] rtp = rtp(4242, 7);
            origin.worker(0).execute(() -> toEdge.sendRtp(withTailRoom(rtp), 0, rtp.length));
            assertThat(edgeGot.rtp.poll(10, TimeUnit.SECONDS)).as("RTP from the origin, decrypted at the edge").isEqualTo(rtp);
            byte[] pli = {(byte) 0x81, (byte) 206, 0, 2, 0, 0, 0, 1, 0, 0, 0x10, (byte) 0x92};
            edge.worker(0).execute(() -> toOrigin.sendRtcp(withTailRoom(pli), 0, pli.length));
            assertThat(originGot.rtcp.poll(10, TimeUnit.SECONDS)).as("a PLI from the edge, decrypted at the origin").isEqualTo(pli);

            // Consent: checks on the selected pair keep both sides alive well past the edge's 5 s silence limit.
            Thread.sleep(6_500);
            assertThat(atEdge.closed).as("the relay stays open while the origin answers its checks").isNotDone();
            assertThat(edge.counters().get("STUN_REQUESTS_SENT")).isGreaterThan(3);

            toEdge.close();
            assertThat(atEdge.closed.get(10, TimeUnit.SECONDS)).as("the origin's close_notify closes the edge's transport")
                    .isEqualTo(CloseReason.DTLS_CLOSED);
        }
    }

    private static byte[] rtp(long ssrc, int seq) {
        byte[] p = new byte[12 + 20];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) p[i] = (byte) i;
        return p;
    }

    private static byte[] withTailRoom(byte[] plain) {
        return Arrays.copyOf(plain, plain.length + MediaTransport.SRTP_TAIL_ROOM);
    }

    private static int freeUdpPort() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
