package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import live.cascade.sfu.dtls.DtlsFailure;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.dtls.DtlsSession;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.transport.CloseReason;

/**
 * The DTLS handshake of one transport: started by the first well-framed DTLS datagram when we are the server, or once
 * ICE selects a pair when we are the client. The handshake runs on the session's own thread, never on the worker (it
 * computes in one of the node's {@link live.cascade.sfu.dtls.HandshakeSlots}); the worker only copies the peer's
 * datagrams into the session's queue. The flights are written on the worker (the route and the batched writer are the
 * worker's), and the outcome (keys, failure, close_notify) is replayed onto the worker as calls on the transport.
 */
final class TransportDtls {
    private final PeerTransport owner;
    private final MediaWorker worker;
    private final TransportParameters parameters;
    private final DtlsSession.DatagramSink sink = this::sendFromSession;
    private DtlsSession session;
    /** Where the peer's DTLS came from: the route before ICE selects a pair (strict nomination). */
    private InetSocketAddress lastSource;

    TransportDtls(PeerTransport owner, MediaWorker worker, TransportParameters parameters) {
        this.owner = owner;
        this.worker = worker;
        this.parameters = parameters;
    }

    InetSocketAddress lastSource() { return lastSource; }

    boolean started() { return session != null; }

    /** A DTLS datagram from the peer; as server, only a well-framed one starts a handshake (whose timeout then runs). */
    void onDatagram(ByteBuf content, InetSocketAddress from) {
        boolean first = session == null;
        if (first) {
            if (parameters.localRole() == DtlsRole.CLIENT) {
                worker.counters.drop(DropReason.DTLS_UNEXPECTED);
                return;
            }
            session = newSession();
        }
        byte[] datagram = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), datagram);
        DtlsSession.Offer offer = session.offer(datagram);
        switch (offer) {
            case QUEUED -> lastSource = from;
            case MALFORMED -> worker.counters.drop(DropReason.DTLS_MALFORMED);
            case QUEUE_FULL -> worker.counters.drop(DropReason.DTLS_QUEUE_FULL);
        }
        if (first) {
            if (offer == DtlsSession.Offer.QUEUED) session.start();
            else session = null;
        }
    }

    /** ICE selected a pair: as client, this is when our handshake begins. */
    void onSelected() {
        if (session == null && parameters.localRole() == DtlsRole.CLIENT) {
            session = newSession();
            session.start();
        }
    }

    /** Worker thread: the threads this transport's handshake computed on so far (empty before it started). */
    List<String> handshakeThreads() { return session == null ? List.of() : session.handshakeThreads(); }

    /** Worker thread: whether the DTLS session's own thread still runs (it ends once the transport closes). */
    boolean sessionRunning() { return session != null && session.running(); }

    /** Sends close_notify if a handshake started; call while the route still exists. */
    void close() {
        if (session != null) session.close();
    }

    private DtlsSession newSession() {
        return new DtlsSession(parameters.localRole(), worker.settings().dtls(), parameters.remoteFingerprint(),
                sink, new Events(), owner.id());
    }

    private void sendFromSession(byte[] datagram) {
        if (worker.inEventLoop()) {
            write(datagram);
            return;
        }
        try {
            worker.execute(() -> write(datagram));
        } catch (RejectedExecutionException e) {
            // Worker stopped: the transport is gone with it.
        }
    }

    private void write(byte[] datagram) {
        InetSocketAddress to = owner.route();
        if (to == null || owner.isClosed()) {
            worker.counters.drop(DropReason.DTLS_NO_ROUTE);
            return;
        }
        worker.out.write(worker.out.alloc().directBuffer(datagram.length).writeBytes(datagram), to);
    }

    /** DTLS outcomes arrive on the session's thread and are replayed on the worker. */
    private final class Events implements DtlsSession.Events {
        @Override
        public void onEstablished(DtlsKeys keys) {
            onWorker(() -> owner.onDtlsEstablished(keys));
        }

        @Override
        public void onFailed(DtlsFailure failure, String detail) {
            CloseReason reason = failure == DtlsFailure.FINGERPRINT_MISMATCH
                    ? CloseReason.FINGERPRINT_MISMATCH : CloseReason.DTLS_FAILED;
            onWorker(() -> owner.close(reason, failure + ": " + detail));
        }

        @Override
        public void onClosed(String detail) {
            onWorker(() -> owner.close(CloseReason.DTLS_CLOSED, detail));
        }

        private void onWorker(Runnable task) {
            try {
                worker.execute(task);
            } catch (RejectedExecutionException e) {
                // Worker stopped: the engine closed every transport already.
            }
        }
    }
}
