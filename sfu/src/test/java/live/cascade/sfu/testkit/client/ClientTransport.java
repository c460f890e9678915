package live.cascade.sfu.testkit.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.net.TestPeer;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.transport.MediaTransport;

/**
 * The client's secured transport toward an ICE-lite node: {@link TestPeer}'s loopback socket, STUN checks and Bouncy
 * Castle DTLS (in whichever role the answer leaves us), then SRTP through the project's own {@link SrtpSession}. A
 * reader thread decrypts what arrives and hands it to a {@link Handler}; a timer keeps ICE consent fresh.
 *
 * <p>Sends may come from the test thread and from the reader (NACK answers); one lock serialises all SRTP work, since
 * an {@link SrtpSession} belongs to one thread at a time.
 */
final class ClientTransport implements AutoCloseable {
    /** Receives decrypted packets on the reader thread. */
    interface Handler {
        void onRtp(byte[] plain, long arrivalNanos);

        void onRtcp(byte[] plain);
    }

    private static final int[] PROFILES = {SrtpProfile.AES_CM_128_HMAC_SHA1_80.id(), SrtpProfile.AEAD_AES_128_GCM.id()};

    private final TestPeer peer;
    private final Object srtpLock = new Object();
    private final PacketBuffer buffer = new PacketBuffer();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> Thread.ofPlatform()
            .daemon().name("packet-client-timer").unstarted(r));
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger unprotectFailures = new AtomicInteger();
    private final AtomicInteger consentMisses = new AtomicInteger();
    private volatile boolean closed;
    private InetSocketAddress server;
    private IceParameters serverIce;
    private SrtpSession srtp;
    private Thread reader;

    ClientTransport() {
        try {
            peer = new TestPeer();
        } catch (Exception e) {
            throw new IllegalStateException("could not open the client's socket or certificate", e);
        }
    }

    IceParameters localIce() { return peer.ice(); }

    DtlsFingerprint fingerprint() {
        try {
            return peer.fingerprint();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    InetSocketAddress localAddress() { return peer.address(); }

    /**
     * ICE toward the answer's candidates (IPv4 ones, loopback first) until one answers a USE-CANDIDATE check, then
     * DTLS and SRTP; starts the reader and the consent checks.
     */
    void connect(SdpAnswer answer, ClientOptions options, Handler handler) {
        serverIce = new IceParameters(answer.ufrag(), answer.password());
        server = nominate(answer.candidates());
        TestPeer.Keys keys;
        try {
            keys = answer.weAreDtlsClient()
                    ? peer.dtlsClient(server, PROFILES, answer.fingerprint())
                    : peer.dtlsServer(server, PROFILES, answer.fingerprint());
        } catch (IOException e) {
            throw new UncheckedIOException("DTLS with " + server + " failed", e);
        }
        SrtpProfile profile = SrtpProfile.byId(keys.profile());
        DtlsKeys k = DtlsKeys.fromKeyingMaterial(profile, keys.material(), keys.weAreClient() ? DtlsRole.CLIENT : DtlsRole.SERVER);
        srtp = new SrtpSession(profile, k.localKey(), k.localSalt(), k.remoteKey(), k.remoteSalt());
        reader = Thread.ofPlatform().daemon().name("packet-client-reader").start(() -> read(handler));
        every(options.consentInterval(), this::consentCheck);
    }

    private InetSocketAddress nominate(List<InetSocketAddress> candidates) {
        List<InetSocketAddress> usable = new ArrayList<>(candidates.stream()
                .filter(c -> c.getAddress() instanceof Inet4Address).toList());
        usable.sort(Comparator.comparing(c -> !c.getAddress().isLoopbackAddress()));
        if (usable.isEmpty()) throw new IllegalStateException("the answer has no IPv4 UDP candidate: " + candidates);
        IllegalStateException none = new IllegalStateException("no candidate answered an ICE check: " + usable);
        for (InetSocketAddress candidate : usable) {
            try {
                byte[] response = peer.check(candidate, serverIce, true);
                if (response != null && isBindingSuccess(response)) return candidate;
            } catch (Exception e) {
                none.addSuppressed(e);
            }
        }
        throw none;
    }

    private static boolean isBindingSuccess(byte[] stun) {
        return stun.length >= 20 && stun[0] == 0x01 && stun[1] == 0x01;
    }

    private void consentCheck() {
        try {
            byte[] response = peer.check(server, serverIce, false);
            if (response == null || !isBindingSuccess(response)) consentMisses.incrementAndGet();
        } catch (Exception e) {
            if (!closed) failures.add(e);
        }
    }

    /** Runs {@code task} every {@code period} until close; a task's exception is kept in {@link #failures()}. */
    void every(Duration period, Runnable task) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!closed) task.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sendRtp(byte[] plain) {
        send(plain, true);
    }

    void sendRtcp(byte[] plain) {
        send(plain, false);
    }

    private void send(byte[] plain, boolean rtp) {
        byte[] out = Arrays.copyOf(plain, plain.length + MediaTransport.SRTP_TAIL_ROOM);
        int length;
        synchronized (srtpLock) {
            buffer.wrap(out, 0, plain.length);
            SrtpStatus status = rtp ? srtp.protectRtp(buffer) : srtp.protectRtcp(buffer);
            length = buffer.getLength();
            buffer.release();
            if (status != SrtpStatus.OK) throw new IllegalStateException("SRTP protect failed: " + status);
        }
        try {
            peer.send(Arrays.copyOf(out, length), server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(Handler handler) {
        while (!closed) {
            byte[] datagram;
            try {
                datagram = peer.awaitMedia(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                return;
            }
            if (datagram == null) continue;
            // RFC 5761 §4: RTCP packet types 192-223 share the second byte's range with RTP marker + payload type.
            int second = datagram[1] & 0xFF;
            boolean rtcp = second >= 192 && second <= 223;
            byte[] plain = unprotect(datagram, rtcp);
            if (plain == null) continue;
            try {
                if (rtcp) handler.onRtcp(plain);
                else handler.onRtp(plain, System.nanoTime());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    private byte[] unprotect(byte[] datagram, boolean rtcp) {
        synchronized (srtpLock) {
            buffer.wrap(datagram, 0, datagram.length);
            SrtpStatus status = rtcp ? srtp.unprotectRtcp(buffer) : srtp.unprotectRtp(buffer);
            byte[] plain = status == SrtpStatus.OK
                    ? Arrays.copyOfRange(datagram, buffer.getOffset(), buffer.getOffset() + buffer.getLength()) : null;
            buffer.release();
            if (plain == null) unprotectFailures.incrementAndGet();
            return plain;
        }
    }

    /** Exceptions from the reader, the timer or ICE attempts: a test should find none. */
    List<Throwable> failures() { return List.copyOf(failures); }

    /** Packets that did not decrypt or authenticate. */
    int unprotectFailures() { return unprotectFailures.get(); }

    /** Consent checks the node did not answer (it stops answering once the session is deleted). */
    int consentMisses() { return consentMisses.get(); }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        peer.close();
        if (reader != null) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (srtpLock) {
            if (srtp != null) srtp.close();
        }
    }
}
