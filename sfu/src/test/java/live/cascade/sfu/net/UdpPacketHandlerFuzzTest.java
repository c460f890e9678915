package live.cascade.sfu.net;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.testkit.RtcpPackets;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated datagrams through the full handler of a worker whose transport is secure, so every path (STUN,
 * DTLS, SRTP, SRTCP, garbage) is reached: nothing escapes, every buffer is released (its reference count checked
 * after each batch, which is exact where a leak detector only samples), everything is counted.
 */
class UdpPacketHandlerFuzzTest {
    private static final int DATAGRAMS = 20_000;
    private static final int BATCH = 250;

    private WorkerFixture fixture;
    private TestPeer peer;
    private PeerTransport transport;
    private PeerSrtp srtp;
    private final AtomicLong delivered = new AtomicLong();

    @BeforeEach
    void connect() throws Exception {
        fixture = new WorkerFixture(false);
        peer = new TestPeer();
        RecordingListener events = new RecordingListener();
        transport = fixture.worker.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), events);
        transport.setReceiver(new MediaReceiver() {
            @Override public void onRtp(byte[] buf, int off, int len) { delivered.incrementAndGet(); }
            @Override public void onRtcp(byte[] buf, int off, int len) { delivered.incrementAndGet(); }
        });
        assertThat(peer.check(fixture.address(), transport.localIce(), true)).isNotNull();
        srtp = new PeerSrtp(peer.dtlsClient(fixture.address(), new int[] {TestPeer.CM},
                WorkerFixture.CERTIFICATE.fingerprint()));
        assertThat(events.next()).startsWith("connected");
        assertThat(events.next()).isEqualTo("secure");
    }

    @AfterEach
    void tearDown() {
        peer.close();
        fixture.close();
    }

    @Test
    void randomAndMutatedDatagramsNeverEscapeAreAlwaysReleasedAndAreCounted() throws Exception {
        Random random = new Random(20261122);
        List<byte[]> seeds = seeds();
        InetSocketAddress known = peer.address();
        InetSocketAddress stranger = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        long before = fixture.counter("RX_DATAGRAMS");

        for (int sent = 0; sent < DATAGRAMS; sent += BATCH) {
            List<DatagramPacket> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                byte[] datagram = random.nextInt(4) == 0 ? randomBytes(random) : mutate(random, seeds);
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(datagram.length).writeBytes(datagram);
                batch.add(new DatagramPacket(buf, fixture.address(), random.nextInt(5) == 0 ? stranger : known));
            }
            fixture.worker.call(() -> {
                ChannelPipeline pipeline = fixture.worker.channel().pipeline();
                for (DatagramPacket p : batch) pipeline.fireChannelRead(p);
                pipeline.fireChannelReadComplete();
                return null;
            });
            for (DatagramPacket p : batch) assertThat(p.refCnt()).as("released").isZero();
        }

        assertThat(fixture.counter("RX_DATAGRAMS") - before).isEqualTo(DATAGRAMS);
        assertThat(fixture.drops(DropReason.INTERNAL_ERROR)).as("exceptions caught in the handler").isZero();
        assertThat(fixture.counter("SOCKET_ERRORS")).as("exceptions reaching the pipeline").isZero();
        for (DropReason reason : List.of(DropReason.NOT_STUN_DTLS_RTP, DropReason.STUN_MALFORMED,
                DropReason.STUN_BAD_FINGERPRINT, DropReason.STUN_BAD_INTEGRITY, DropReason.RTP_UNKNOWN_PEER,
                DropReason.DTLS_UNKNOWN_PEER, DropReason.RTP_TOO_SHORT, DropReason.SRTP_AUTH_FAILED,
                DropReason.SRTP_REPLAY)) {
            assertThat(fixture.drops(reason)).as(reason.name()).isPositive();
        }
        assertThat(delivered.get()).as("unmutated SRTP still delivered").isPositive();

        // Garbage did not tear the session down: fresh media still flows.
        assertThat(transport.state()).as("closed: %s", transport.closeReason()).isEqualTo(TransportState.SECURE);
        long deliveredBefore = delivered.get();
        peer.send(srtp.protectRtp(rtp().ssrc(0x7777).seq(1).pt(96).payloadOfLength(100).build()), fixture.address());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (delivered.get() == deliveredBefore && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(delivered.get()).isGreaterThan(deliveredBefore);
    }

    /** Valid datagrams of every kind to start mutating from. */
    private List<byte[]> seeds() throws Exception {
        IceParameters server = transport.localIce();
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(StunRequests.browserCheck(server.ufrag(), server.password(), peer.ice().ufrag(), true));
        seeds.add(StunRequests.ffmpegCheck(server.ufrag(), server.password(), peer.ice().ufrag()));
        seeds.add(StunRequests.browserCheck("unknown1", server.password(), peer.ice().ufrag(), false));
        seeds.add(StunRequests.ice4jCheck(server.ufrag() + ":" + peer.ice().ufrag(), "wrongPassword0123456789abc",
                false, true));
        for (int seq = 1; seq <= 20; seq++) seeds.add(srtp.protectRtp(rtp().ssrc(0x1234).seq(seq).pt(96).payloadOfLength(20 + seq * 30).build()));
        for (int i = 0; i < 5; i++) seeds.add(srtp.protectRtcp(RtcpPackets.receiverReport(0x1234)));
        seeds.add(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4});
        seeds.add(new byte[] {21, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 1, 0});
        return seeds;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(random.nextBoolean() ? 40 : 1600)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        byte[] b = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> { } // unmodified: valid checks, replays of valid SRTP
            case 1 -> {
                for (int i = 1 + random.nextInt(3); i > 0 && b.length > 0; i--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 3 -> {
                b = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
                for (int i = seed.length; i < b.length; i++) b[i] = (byte) random.nextInt();
            }
            case 4 -> {
                if (b.length > 4) {
                    b[2] = (byte) random.nextInt();
                    b[3] = (byte) random.nextInt();
                }
            }
            default -> {
                if (b.length > 0) b[0] = (byte) random.nextInt(256);
            }
        }
        return b;
    }
}
