package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import live.cascade.sfu.dtls.DtlsCertificate;
import live.cascade.sfu.dtls.DtlsSettings;
import live.cascade.sfu.dtls.HandshakeSlots;
import live.cascade.sfu.params.SrtpProfile;

/** A real media worker on loopback with a hand-driven clock, plus helpers to observe it. */
final class WorkerFixture implements AutoCloseable {
    static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();
    static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final MediaWorker worker;

    WorkerFixture(boolean requireUseCandidate) {
        this(requireUseCandidate, WorkerSettings.NO_SETUP_TIMEOUT);
    }

    WorkerFixture(boolean requireUseCandidate, Duration setupTimeout) {
        this(requireUseCandidate, setupTimeout, false);
    }

    /** @param iceTcp also listen for passive ICE-TCP on an ephemeral loopback port */
    WorkerFixture(boolean requireUseCandidate, Duration setupTimeout, boolean iceTcp) {
        this(requireUseCandidate, setupTimeout, iceTcp, HandshakeSlots.UNBOUNDED);
    }

    /** @param handshakes the bound on this worker's DTLS handshakes computing at once */
    WorkerFixture(boolean requireUseCandidate, Duration setupTimeout, boolean iceTcp, HandshakeSlots handshakes) {
        WorkerSettings settings = new WorkerSettings(
                new DtlsSettings(CERTIFICATE, List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                        Duration.ofSeconds(10), handshakes),
                CONSENT_TIMEOUT, requireUseCandidate, clock::get, setupTimeout);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        worker = MediaWorker.bind(0, new InetSocketAddress(loopback, 0), iceTcp ? new InetSocketAddress(loopback, 0) : null,
                List.of(loopback), settings, true);
    }

    InetSocketAddress address() { return worker.localAddress(); }

    void advance(Duration d) { clock.addAndGet(d.toNanos()); }

    void sweep() {
        worker.call(() -> {
            worker.sweepConsent();
            return null;
        });
    }

    long counter(String name) { return worker.counters().get(name); }

    long drops(DropReason reason) { return counter(PacketCounters.DROP_PREFIX + reason.name()); }

    /** Waits until a counter reaches {@code atLeast} (datagrams are processed asynchronously). */
    void awaitCounter(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter(name) < atLeast) {
            if (System.nanoTime() > deadline) assertThat(counter(name)).as(name).isGreaterThanOrEqualTo(atLeast);
            Thread.sleep(5);
        }
    }

    void awaitDrop(DropReason reason, long atLeast) throws InterruptedException {
        awaitCounter(PacketCounters.DROP_PREFIX + reason.name(), atLeast);
    }

    @Override
    public void close() {
        worker.close();
    }
}
