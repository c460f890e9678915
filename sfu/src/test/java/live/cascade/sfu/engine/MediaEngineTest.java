package live.cascade.sfu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import live.cascade.sfu.net.Counter;
import live.cascade.sfu.net.DropReason;
import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.net.PeerTransport;
import live.cascade.sfu.net.RecordingListener;
import live.cascade.sfu.net.TestPeer;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import org.junit.jupiter.api.Test;

class MediaEngineTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static MediaEngineConfig loopback(int workers) {
        return MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0).withWorkerCount(workers)
                .withAdvertisedAddresses(List.of(LOOPBACK));
    }

    @Test
    void defaultsMatchTheArchitecture() {
        MediaEngineConfig d = MediaEngineConfig.defaults();
        assertThat(d.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(d.basePort()).isEqualTo(10000);
        assertThat(d.workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.consentTimeout()).hasSeconds(30);
        assertThatThrownBy(() -> d.withWorkerCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBasePort(65535).withWorkerCount(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workerIBindsBasePortPlusI() throws Exception {
        int base = freePortPair();
        try (MediaEngine engine = MediaEngine.start(loopback(2).withBasePort(base))) {
            assertThat(engine.worker(0).port()).isEqualTo(base);
            assertThat(engine.worker(1).port()).isEqualTo(base + 1);
            assertThat(engine.worker(1).candidates()).singleElement()
                    .satisfies(c -> assertThat(c.port()).isEqualTo(base + 1));
        }
    }

    @Test
    void startingWarmsDtlsUpWithItsOwnCertificateInTheBackground() throws Exception {
        try (MediaEngine engine = MediaEngine.start(loopback(1))) {
            assertThat(engine.dtlsWarmUp().get(30, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void anOccupiedPortFailsStartCleanly() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            assertThatThrownBy(() -> MediaEngine.start(loopback(1).withBasePort(taken.getLocalPort())))
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void workerForIsStablePerChannelAndSpreadsChannels() {
        try (MediaEngine engine = MediaEngine.start(loopback(2))) {
            Set<MediaWorker> used = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                MediaWorker w = engine.workerFor("channel-" + i);
                assertThat(engine.workerFor("channel-" + i)).isSameAs(w);
                used.add(w);
            }
            assertThat(used).hasSize(2);
            assertThat(engine.placedChannels()).containsExactly(50, 50);
            assertThat(engine.worker(0).usesEpoll()).isEqualTo(Epoll.isAvailable());
        }
    }

    @Test
    void channelsArePlacedOnTheWorkerWithFewestAndReleasedWhenTheyEnd() {
        try (MediaEngine engine = MediaEngine.start(loopback(2))) {
            // Four live channels whose ids once all hashed onto worker 1: now two on each.
            int[] first = new int[4];
            for (int i = 0; i < 4; i++) first[i] = engine.workerFor(Integer.toString(i + 1)).index();
            assertThat(first).containsExactly(0, 1, 0, 1);

            // Two end on worker 0: the next two channels go there, not round-robin.
            engine.release("1");
            engine.release("3");
            engine.release("3"); // idempotent
            assertThat(engine.placedChannels()).containsExactly(0, 2);
            assertThat(engine.workerFor("5").index()).isZero();
            assertThat(engine.workerFor("6").index()).isZero();
            assertThat(engine.lane("2").index()).isEqualTo(1);
            assertThat(engine.placedChannels()).containsExactly(2, 2);
        }
    }

    @Test
    void nioFallbackAnswersChecks() throws Exception {
        try (MediaEngine engine = MediaEngine.start(loopback(1).withPreferEpoll(false)); TestPeer peer = new TestPeer()) {
            assertThat(engine.worker(0).usesEpoll()).isFalse();
            PeerTransport t = engine.createTransport(
                    new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), 0, new RecordingListener());

            assertThat(peer.check(engine.worker(0).localAddress(), t.localIce(), true)).isNotNull();
        }
    }

    @Test
    void countersNameEveryReasonAndSumOverWorkers() throws Exception {
        try (MediaEngine engine = MediaEngine.start(loopback(2)); TestPeer peer = new TestPeer()) {
            for (MediaWorker w : engine.workers()) peer.send(new byte[] {0x42}, w.localAddress());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (engine.counters().get("drop.NOT_STUN_DTLS_RTP") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            Map<String, Long> counters = engine.counters();
            for (DropReason r : DropReason.values()) assertThat(counters).containsKey("drop." + r.name());
            for (Counter c : Counter.values()) assertThat(counters).containsKey(c.name());
            assertThat(counters.get("drop.NOT_STUN_DTLS_RTP")).isEqualTo(2);
            assertThat(counters.get("RX_DATAGRAMS")).isEqualTo(2);
        }
    }

    @Test
    void closingTheEngineClosesItsTransports() throws Exception {
        RecordingListener events = new RecordingListener();
        MediaEngine engine = MediaEngine.start(loopback(1));
        try (TestPeer peer = new TestPeer()) {
            engine.createTransport(new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.CLIENT),
                    engine.worker(0), events);
        } finally {
            engine.close();
        }
        assertThat(events.next()).isEqualTo("closed ENGINE_CLOSED");
        assertThatThrownBy(() -> engine.worker(0).createTransport(
                new TransportParameters(new IceParameters("a", "b"),
                        engine.certificateFingerprint(), DtlsRole.SERVER), new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void transportsCanOnlyBeCreatedOnTheEnginesOwnWorkers() {
        try (MediaEngine a = MediaEngine.start(loopback(1)); MediaEngine b = MediaEngine.start(loopback(1))) {
            assertThatThrownBy(() -> a.createTransport(new TransportParameters(
                    new IceParameters("a", "b"), a.certificateFingerprint(), DtlsRole.SERVER),
                    b.worker(0), new RecordingListener())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A port p with p and p+1 both free on loopback right now. */
    private static int freePortPair() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                p = probe.getLocalPort();
            }
            if (p >= 65535) continue;
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, p));
                 DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, p + 1))) {
                return p;
            } catch (BindException e) {
                // try another
            }
        }
        throw new IllegalStateException("no free port pair");
    }
}
