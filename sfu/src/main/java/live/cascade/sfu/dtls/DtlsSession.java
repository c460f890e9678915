package live.cascade.sfu.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's DTLS 1.2 association. Bouncy Castle's handshake blocks, so it runs on its own virtual thread, fed by
 * {@link #offer} from the media worker; after the handshake the same thread keeps servicing the record layer so that
 * close_notify, fatal alerts and a peer's retransmitted final flight are handled. While it handshakes it computes only
 * in one of the settings' {@link HandshakeSlots}, waiting its turn (up to the handshake timeout) when all are busy.
 *
 * <p>{@link Events} are called on the session thread; the owner hops back to its worker. After {@link #close()} no
 * event is delivered.
 */
public final class DtlsSession {
    /** Where the session's outgoing datagrams go (the owner writes them toward the selected remote address). */
    @FunctionalInterface
    public interface DatagramSink {
        void send(byte[] datagram);
    }

    /** Handshake outcomes, called on the session thread. */
    public interface Events {
        void onEstablished(DtlsKeys keys);

        void onFailed(DtlsFailure failure, String detail);

        /** The peer closed an established association (close_notify or a fatal alert) or it broke. */
        void onClosed(String detail);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);
    /** How often the post-handshake loop wakes with nothing to do, bounding how late a local close is noticed. */
    private static final int SERVICE_WAIT_MILLIS = 1000;

    private final DtlsRole role;
    private final DtlsSettings settings;
    private final HandshakeState state;
    private final QueuedDatagramTransport transport;
    private final Events events;
    private final String name;
    private volatile boolean closedLocally;
    private volatile DTLSTransport established;
    private Thread thread;

    public DtlsSession(DtlsRole role, DtlsSettings settings, DtlsFingerprint expectedRemote, DatagramSink sink,
                       Events events, String name) {
        this.role = Objects.requireNonNull(role, "role");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = new HandshakeState(Objects.requireNonNull(expectedRemote, "expectedRemote"));
        this.transport = new QueuedDatagramTransport(sink, settings.handshakes());
        this.events = Objects.requireNonNull(events, "events");
        this.name = name;
    }

    public DtlsRole role() { return role; }

    /** Starts the handshake thread: as client this sends the ClientHello; as server it waits for one. */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        thread = Thread.ofVirtual().name("dtls-" + name).start(this::run);
    }

    /** What became of an offered datagram. */
    public enum Offer { QUEUED, MALFORMED, QUEUE_FULL }

    /**
     * Hands one received DTLS datagram to the session; the array is owned by the session afterwards. Datagrams that
     * are not well-framed DTLS ({@link DtlsRecords}) are refused here rather than risked inside Bouncy Castle.
     */
    public Offer offer(byte[] datagram) {
        if (!DtlsRecords.wellFormed(datagram, state.minEncryptedRecord)) return Offer.MALFORMED;
        return transport.offer(datagram) ? Offer.QUEUED : Offer.QUEUE_FULL;
    }

    /** Closes locally: sends close_notify when established, stops the thread, and suppresses further events. */
    public void close() {
        closedLocally = true;
        DTLSTransport dtls = established;
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS {}: close_notify not sent: {}", name, e.toString());
            }
        }
        transport.close();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) t.interrupt();
    }

    /**
     * The names of the threads Bouncy Castle's handshake callbacks ran on (signing, the peer's certificate, the key
     * export), in order, so a test can tell that no media worker ever ran this handshake's crypto.
     */
    public List<String> handshakeThreads() { return state.threads(); }

    /** True while the session's thread runs (handshaking, or servicing the record layer until closed). */
    public synchronized boolean running() { return thread != null && thread.isAlive(); }

    private void run() {
        DTLSTransport dtls;
        try {
            dtls = handshake();
        } catch (IOException | RuntimeException e) {
            if (!closedLocally) {
                DtlsFailure failure = state.fingerprintMismatch ? DtlsFailure.FINGERPRINT_MISMATCH
                        : state.noCommonProfile ? DtlsFailure.NO_COMMON_SRTP_PROFILE
                        : DtlsFailure.HANDSHAKE_FAILED;
                events.onFailed(failure, e.toString());
            }
            return;
        }
        established = dtls;
        if (closedLocally) {
            close();
            return;
        }
        events.onEstablished(DtlsKeys.fromKeyingMaterial(state.profile, state.keyingMaterial, role));
        serviceUntilClosed(dtls);
    }

    /** Bouncy Castle's blocking handshake, computing only in a slot (waiting for one up to the handshake timeout). */
    private DTLSTransport handshake() throws IOException {
        transport.enterHandshake(System.nanoTime() + settings.handshakeTimeout().toNanos());
        try {
            JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE has already proven the peer's address, so the cookie round trip buys nothing.
                protocol.setVerifyRequests(false);
                return protocol.accept(new SrtpDtlsServer(crypto, settings, state), transport);
            }
            return new DTLSClientProtocol().connect(new SrtpDtlsClient(crypto, settings, state), transport);
        } finally {
            transport.leaveHandshake();
        }
    }

    private void serviceUntilClosed(DTLSTransport dtls) {
        byte[] applicationData = new byte[2048];
        String failure = null;
        try {
            // Application data (a data channel) is not supported and is discarded here.
            while (!closedLocally && !state.closeNotifyReceived && !transport.isClosed()) {
                dtls.receive(applicationData, 0, applicationData.length, SERVICE_WAIT_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            // Also the normal end after close_notify: BC closes our transport, and the next read fails.
            failure = e.toString();
        }
        if (closedLocally) return;
        if (state.closeNotifyReceived) events.onClosed("close_notify received");
        else if (state.fatalAlertReceived >= 0) events.onClosed("fatal alert " + state.fatalAlertReceived);
        else events.onClosed(failure != null ? failure : "DTLS transport closed");
    }
}
