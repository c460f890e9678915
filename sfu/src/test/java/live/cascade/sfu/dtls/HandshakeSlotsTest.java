package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our server sessions sharing a bound on handshakes computing at once, each against one of our client sessions
 * (unbounded, as the browsers are) through in-memory datagram pipes.
 */
class HandshakeSlotsTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final List<SrtpProfile> PROFILES = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    private final List<DtlsSession> sessions = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sessions.forEach(DtlsSession::close);
    }

    @Test
    void saturatedSlotsStillCompleteEveryHandshakeWithinItsTimeout() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        Duration timeout = Duration.ofSeconds(20);
        int handshakes = 12;
        // The test takes the only slot first, so every server queues: a saturated pool by construction.
        assertThat(slots.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        List<Recorder> servers = new ArrayList<>();
        List<Recorder> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < handshakes; i++) {
            Recorder server = new Recorder();
            Recorder client = new Recorder();
            pair(new DtlsSettings(SERVER_CERT, PROFILES, timeout, slots), server, client, "s" + i);
            servers.add(server);
            clients.add(client);
        }
        await(() -> slots.waiting() == handshakes, "every server handshake queued for the one slot");

        slots.release();

        for (int i = 0; i < handshakes; i++) {
            assertThat(servers.get(i).next()).as("server %d", i).isEqualTo("established");
            long tookNanos = servers.get(i).atNanos - start;
            assertThat(Duration.ofNanos(tookNanos)).as("server %d within its handshake timeout", i).isLessThan(timeout);
            assertThat(clients.get(i).next()).as("client %d", i).isEqualTo("established");
        }
        assertThat(slots.waiting()).isZero();
        assertThat(slots.busy()).as("every slot given back once the handshakes ended").isZero();
        assertThat(slots.waitedSeconds()).isPositive();
    }

    @Test
    void aHandshakeStillQueuedAtItsTimeoutFailsAndLeavesTheQueue() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        assertThat(slots.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        Recorder server = new Recorder();
        pair(new DtlsSettings(SERVER_CERT, PROFILES, Duration.ofMillis(800), slots), server, new Recorder(), "late");

        assertThat(server.next()).startsWith("failed HANDSHAKE_FAILED").contains("waiting for a handshake slot");
        assertThat(slots.waiting()).isZero();
        slots.release();
        assertThat(slots.busy()).isZero();
    }

    @Test
    void closingASessionQueuedForASlotEndsItsThreadWithoutTakingOne() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        assertThat(slots.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
        Recorder server = new Recorder();
        DtlsSession session = pair(new DtlsSettings(SERVER_CERT, PROFILES, Duration.ofSeconds(20), slots), server,
                new Recorder(), "closed");
        await(() -> slots.waiting() == 1, "the server queued for the slot");

        session.close();

        await(() -> !session.running(), "the session's thread ended");
        assertThat(slots.waiting()).isZero();
        slots.release();
        assertThat(slots.busy()).as("the closed session took no slot on its way out").isZero();
        assertThat(server.log.poll(300, TimeUnit.MILLISECONDS)).as("no event after a local close").isNull();
    }

    @Test
    void fourSlotsPerProcessorAndNeverNone() {
        assertThat(HandshakeSlots.forProcessors(0).slots()).isEqualTo(4);
        assertThat(HandshakeSlots.forProcessors(2).slots()).isEqualTo(8);
        assertThat(HandshakeSlots.forProcessors(8).slots()).isEqualTo(32);
        assertThat(HandshakeSlots.UNBOUNDED.slots()).isZero();
    }

    /** A server (on {@code serverSettings}) and an unbounded client, wired to each other and started. */
    private DtlsSession pair(DtlsSettings serverSettings, Recorder serverEvents, Recorder clientEvents, String name) {
        DtlsSession[] s = new DtlsSession[2];
        s[0] = new DtlsSession(DtlsRole.SERVER, serverSettings, CLIENT_CERT.fingerprint(), d -> s[1].offer(d),
                serverEvents, name + "-server");
        s[1] = new DtlsSession(DtlsRole.CLIENT, new DtlsSettings(CLIENT_CERT, PROFILES, Duration.ofSeconds(30)),
                SERVER_CERT.fingerprint(), d -> s[0].offer(d), clientEvents, name + "-client");
        sessions.add(s[0]);
        sessions.add(s[1]);
        s[0].start();
        s[1].start();
        return s[0];
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static final class Recorder implements DtlsSession.Events {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        volatile long atNanos;

        @Override
        public void onEstablished(DtlsKeys keys) {
            atNanos = System.nanoTime();
            log.add("established");
        }

        @Override
        public void onFailed(DtlsFailure failure, String detail) {
            log.add("failed " + failure + " " + detail);
        }

        @Override
        public void onClosed(String detail) {
            log.add("closed " + detail);
        }

        String next() throws InterruptedException {
            return log.poll(20, TimeUnit.SECONDS);
        }
    }
}
