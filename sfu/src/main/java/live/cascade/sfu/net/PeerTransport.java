package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import live.cascade.sfu.dtls.DtlsFailure;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.dtls.DtlsSession;
import live.cascade.sfu.ice.CheckOutcome;
import live.cascade.sfu.ice.IceCredential;
import live.cascade.sfu.ice.IceLiteAgent;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpPolicies;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's secured transport on one media worker: ICE-lite, then DTLS, then SRTP/SRTCP, over the worker's UDP
 * socket. States move {@code NEW -> CHECKING -> CONNECTED -> SECURE -> CLOSED} ({@link TransportState}).
 *
 * <p>Threading: everything runs on the worker thread. {@link #sendRtp}/{@link #sendRtcp} must be called there; the
 * control methods ({@link #setReceiver}, {@link #restartIce}, {@link #close()}) hop onto it when called elsewhere and
 * wait for it. Decrypted packets reach the {@link MediaReceiver} on the worker thread, in the worker's receive
 * buffer, which is reused after the call returns.
 */
public final class PeerTransport implements MediaTransport {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);
    /** A peer rarely checks from more than a couple of addresses; this bounds the routing entries it can create. */
    private static final int MAX_REMOTE_ADDRESSES = 8;
    /**
     * SRTP that arrives while our side of the handshake is still finishing is kept, up to this many datagrams: a DTLS
     * server peer (FFmpeg by default) starts sending media the moment it has sent its last flight, and those first
     * packets usually carry the keyframe a new viewer needs.
     */
    private static final int MAX_EARLY_PACKETS = 64;
    /**
     * Most recycled datagrams one transport keeps in flight; a flush normally empties them, a congested socket
     * overflows into plain envelopes ({@link Counter#TX_POOL_MISSES}).
     */
    private static final int EGRESS_POOL_SIZE = 64;

    private final MediaWorker worker;
    private final String id;
    private final TransportParameters parameters;
    private final TransportListener listener;
    private final IceLiteAgent ice;
    private final DtlsSession.DatagramSink dtlsSink = this::sendDtlsFromSession;
    private final ArrayList<InetSocketAddress> remoteAddresses = new ArrayList<>(2);
    private final long createdNanos;

    private volatile IceParameters localIce;
    private volatile IceParameters remoteIce;
    private volatile TransportState state = TransportState.NEW;
    private volatile CloseReason closeReason;
    private volatile SrtpProfile srtpProfile;
    private volatile InetSocketAddress selectedAddress;

    private MediaReceiver receiver;
    private DtlsSession dtls;
    private SrtpSession srtp;
    private InetSocketAddress lastDtlsSource;
    private ArrayDeque<byte[]> earlyMedia;
    /** Recycled datagrams to the current route: SRTP/SRTCP sends allocate nothing (replaced if the route changes). */
    private DatagramPool egress;

    PeerTransport(MediaWorker worker, String id, TransportParameters parameters, IceParameters localIce,
                  TransportListener listener, long nowNanos) {
        this.worker = worker;
        this.id = id;
        this.parameters = parameters;
        this.listener = listener;
        this.localIce = localIce;
        this.remoteIce = parameters.remoteIce();
        this.ice = new IceLiteAgent(new IceCredential(localIce), worker.settings().requireUseCandidate(), nowNanos);
        this.createdNanos = nowNanos;
    }

    // ---- public API ----

    /** Unique within the engine, for logs. */
    public String id() { return id; }

    public MediaWorker worker() { return worker; }

    public TransportParameters parameters() { return parameters; }

    /** The local ICE credentials to put in the SDP answer (the newest generation after {@link #restartIce}). */
    public IceParameters localIce() { return localIce; }

    /** The remote ICE credentials (replaced by {@link #restartIce}). */
    public IceParameters remoteIce() { return remoteIce; }

    /** The host candidates of this transport's worker. */
    public List<Candidate> localCandidates() { return worker.candidates(); }

    public TransportState state() { return state; }

    /** Why the transport closed, or null while open. */
    public CloseReason closeReason() { return closeReason; }

    /** The negotiated SRTP profile once {@link TransportState#SECURE}, else null. */
    public SrtpProfile srtpProfile() { return srtpProfile; }

    /** The remote address ICE selected, or null. */
    public InetSocketAddress selectedAddress() { return selectedAddress; }

    /** Attaches the receiver of decrypted RTP/RTCP (null detaches; packets are then dropped and counted). */
    public void setReceiver(MediaReceiver receiver) {
        worker.call(() -> {
            this.receiver = receiver;
            return null;
        });
    }

    /**
     * Starts an ICE restart: new local credentials are issued and returned for the answer, checks under the old ones
     * keep being answered (media keeps flowing on the old pair) until the new generation nominates a pair, after
     * which the old ufrag is forgotten. DTLS and SRTP are unaffected.
     *
     * @throws IllegalStateException when the transport is closed
     */
    public IceParameters restartIce(IceParameters newRemoteIce) {
        Objects.requireNonNull(newRemoteIce, "newRemoteIce");
        return worker.call(() -> {
            if (state == TransportState.CLOSED) throw new IllegalStateException("transport " + id + " is closed");
            IceParameters fresh = worker.uniqueLocalIce();
            IceCredential superseded = ice.beginRestart(new IceCredential(fresh));
            if (superseded != null) worker.unregisterUfrag(superseded.ufrag(), this);
            worker.registerUfrag(fresh.ufrag(), this);
            remoteIce = newRemoteIce;
            localIce = fresh;
            return fresh;
        });
    }

    /**
     * Closes with {@link CloseReason#DELETED}: consent is revoked at once (checks are no longer answered, RFC 7675
     * 5.2), DTLS sends close_notify, and the listener hears {@code onClosed}. Idempotent.
     */
    public void close() {
        try {
            worker.call(() -> {
                close(CloseReason.DELETED, "closed by application");
                return null;
            });
        } catch (IllegalStateException e) {
            LOG.debug("transport {}: worker gone, nothing to close", id);
        }
    }

    /**
     * Protects the plain RTP packet in place (SRTP tag into the tail room) and queues it toward the selected
     * address. Worker thread only. Dropped and counted unless {@link TransportState#SECURE}.
     */
    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        send(buf, off, len, false);
    }

    /** As {@link #sendRtp} for one (possibly compound) plain RTCP packet. */
    @Override
    public void sendRtcp(byte[] buf, int off, int len) {
        send(buf, off, len, true);
    }

    @Override
    public String toString() {
        return "PeerTransport[" + id + " " + state + "]";
    }

    // ---- worker-thread internals ----

    IceCredential credentialFor(String localUfrag) {
        return ice.credentialFor(localUfrag);
    }

    void onAuthenticatedCheck(IceCredential used, InetSocketAddress from, boolean useCandidate) {
        if (state == TransportState.CLOSED) return;
        IceCredential before = ice.current();
        CheckOutcome outcome = ice.onAuthenticatedCheck(used, from, useCandidate, worker.now());
        rememberAddress(from);
        if (state == TransportState.NEW) state = TransportState.CHECKING;
        switch (outcome) {
            case RESTART_COMPLETED -> {
                worker.unregisterUfrag(before.ufrag(), this);
                LOG.debug("transport {}: ICE restart completed from {}", id, from);
                onSelected(from);
            }
            case SELECTED -> onSelected(from);
            case VALIDATED, CONSENT_REFRESHED -> { }
        }
    }

    void onDtls(ByteBuf content, InetSocketAddress from) {
        if (state == TransportState.CLOSED) return;
        boolean first = dtls == null;
        if (first) {
            if (parameters.localRole() == DtlsRole.CLIENT) {
                worker.counters.drop(DropReason.DTLS_UNEXPECTED);
                return;
            }
            dtls = newDtlsSession();
        }
        byte[] datagram = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), datagram);
        DtlsSession.Offer offer = dtls.offer(datagram);
        switch (offer) {
            case QUEUED -> lastDtlsSource = from;
            case MALFORMED -> worker.counters.drop(DropReason.DTLS_MALFORMED);
            case QUEUE_FULL -> worker.counters.drop(DropReason.DTLS_QUEUE_FULL);
        }
        // As server, only a well-framed datagram starts a handshake (whose timeout then runs).
        if (first) {
            if (offer == DtlsSession.Offer.QUEUED) dtls.start();
            else dtls = null;
        }
    }

    void onSrtp(byte[] buf, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null) {
            keepEarly(buf, len);
            return;
        }
        PacketBuffer packet = worker.rxPacket.wrap(buf, 0, len);
        try {
            SrtpStatus status = rtcp ? session.unprotectRtcp(packet) : session.unprotectRtp(packet);
            if (status != SrtpStatus.OK) {
                worker.counters.drop(dropFor(status));
                return;
            }
            MediaReceiver r = receiver;
            if (r == null) {
                worker.counters.drop(DropReason.RTP_NO_RECEIVER);
            } else if (rtcp) {
                worker.counters.increment(Counter.RTCP_RECEIVED);
                r.onRtcp(packet.getBuffer(), packet.getOffset(), packet.getLength());
            } else {
                worker.counters.increment(Counter.RTP_RECEIVED);
                r.onRtp(packet.getBuffer(), packet.getOffset(), packet.getLength(), worker.datagramWaitedNanos());
            }
        } finally {
            packet.release();
        }
    }

    /** Keeps SRTP that races our handshake completion; allocation here is bounded and only before SECURE. */
    private void keepEarly(byte[] buf, int len) {
        if (dtls == null || state == TransportState.CLOSED
                || (earlyMedia != null && earlyMedia.size() >= MAX_EARLY_PACKETS)) {
            worker.counters.drop(DropReason.RTP_BEFORE_DTLS);
            return;
        }
        if (earlyMedia == null) earlyMedia = new ArrayDeque<>();
        earlyMedia.add(Arrays.copyOf(buf, len));
        worker.counters.increment(Counter.EARLY_MEDIA_KEPT);
    }

    private void replayEarlyMedia() {
        ArrayDeque<byte[]> early = earlyMedia;
        earlyMedia = null;
        if (early == null) return;
        for (byte[] datagram : early) {
            if (state != TransportState.SECURE) return;
            onSrtp(datagram, datagram.length, PacketClass.isRtcp(datagram[1] & 0xFF));
        }
    }

    /**
     * On the worker's sweep: closes a transport that is still setting up after {@code setupTimeoutNanos} (an offer
     * whose peer never did ICE or DTLS holds a session slot until then, not for the whole consent timeout), or whose
     * consent lapsed.
     */
    void checkTimeouts(long nowNanos, long consentTimeoutNanos, long setupTimeoutNanos) {
        if (state != TransportState.SECURE && state != TransportState.CLOSED && nowNanos - createdNanos > setupTimeoutNanos) {
            close(CloseReason.SETUP_TIMEOUT, "not secure " + setupTimeoutNanos / 1_000_000 + " ms after creation (state " + state + ")");
            return;
        }
        checkConsent(nowNanos, consentTimeoutNanos);
    }

    void checkConsent(long nowNanos, long timeoutNanos) {
        if (state != TransportState.CLOSED && ice.consentExpired(nowNanos, timeoutNanos)) {
            close(ice.everSelected() ? CloseReason.CONSENT_EXPIRED : CloseReason.ICE_TIMEOUT,
                    "no authenticated check for " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    /** Another transport authenticated from {@code address}; stop routing it here. */
    void forgetAddress(InetSocketAddress address) {
        remoteAddresses.remove(address);
    }

    void close(CloseReason reason, String detail) {
        if (state == TransportState.CLOSED) return;
        // close_notify goes out first, while the selected address still routes.
        if (dtls != null) dtls.close();
        state = TransportState.CLOSED;
        closeReason = reason;
        worker.unregisterUfrag(ice.current().ufrag(), this);
        if (ice.pending() != null) worker.unregisterUfrag(ice.pending().ufrag(), this);
        for (InetSocketAddress address : remoteAddresses) worker.unregisterAddress(address, this);
        remoteAddresses.clear();
        worker.removeTransport(this);
        if (srtp != null) {
            srtp.close();
            srtp = null;
        }
        receiver = null;
        earlyMedia = null;
        LOG.info("transport {} closed: {} ({})", id, reason, detail);
        try {
            listener.onClosed(this, reason);
        } catch (RuntimeException e) {
            LOG.warn("transport {}: listener failed in onClosed", id, e);
        }
    }

    private void onSelected(InetSocketAddress from) {
        selectedAddress = from;
        if (state == TransportState.CHECKING) state = TransportState.CONNECTED;
        LOG.debug("transport {}: selected {}", id, from);
        try {
            listener.onConnected(this, from);
        } catch (RuntimeException e) {
            LOG.warn("transport {}: listener failed in onConnected", id, e);
        }
        if (state != TransportState.CLOSED && dtls == null && parameters.localRole() == DtlsRole.CLIENT) {
            dtls = newDtlsSession();
            dtls.start();
        }
    }

    private DtlsSession newDtlsSession() {
        return new DtlsSession(parameters.localRole(), worker.settings().dtls(), parameters.remoteFingerprint(),
                dtlsSink, new DtlsEvents(), id);
    }

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        if (!worker.inEventLoop()) {
            throw new IllegalStateException("send on " + Thread.currentThread().getName() + ", not on the worker");
        }
        SrtpSession session = srtp;
        if (session == null || state != TransportState.SECURE) {
            worker.counters.drop(DropReason.TX_NOT_SECURE);
            return;
        }
        if (len < (rtcp ? 8 : 12) || off < 0 || off + len > buf.length) {
            worker.counters.drop(DropReason.TX_MALFORMED);
            return;
        }
        int overhead = rtcp ? SrtpPolicies.rtcpOverhead(session.profile()) : SrtpPolicies.rtpOverhead(session.profile());
        if (buf.length - off - len < overhead) {
            worker.counters.drop(DropReason.TX_NO_TAIL_ROOM);
            return;
        }
        InetSocketAddress to = route();
        if (to == null) {
            worker.counters.drop(DropReason.TX_NOT_SECURE);
            return;
        }
        if (!worker.writable()) {
            worker.counters.drop(DropReason.TX_CHANNEL_FULL);
            return;
        }
        PacketBuffer packet = worker.txPacket.wrap(buf, off, len);
        try {
            SrtpStatus status = rtcp ? session.protectRtcp(packet) : session.protectRtp(packet);
            if (status != SrtpStatus.OK) {
                worker.counters.drop(DropReason.TX_PROTECT_FAILED);
                return;
            }
            DatagramPool pool = egress;
            if (pool == null || pool.recipient() != to) egress = pool = new DatagramPool(to, EGRESS_POOL_SIZE);
            long missesBefore = pool.misses();
            worker.write(pool.take(worker.alloc(), packet.getBuffer(), packet.getOffset(), packet.getLength()));
            if (pool.misses() != missesBefore) worker.counters.increment(Counter.TX_POOL_MISSES);
            worker.counters.increment(rtcp ? Counter.RTCP_SENT : Counter.RTP_SENT);
        } finally {
            packet.release();
        }
    }

    /** Where to send: the selected pair, or before selection (strict nomination) wherever DTLS came from. */
    private InetSocketAddress route() {
        InetSocketAddress selected = ice.selected();
        return selected != null ? selected : lastDtlsSource;
    }

    private void rememberAddress(InetSocketAddress from) {
        if (!remoteAddresses.contains(from)) {
            if (remoteAddresses.size() >= MAX_REMOTE_ADDRESSES) {
                for (int i = 0; i < remoteAddresses.size(); i++) {
                    InetSocketAddress old = remoteAddresses.get(i);
                    if (!old.equals(ice.selected())) {
                        remoteAddresses.remove(i);
                        worker.unregisterAddress(old, this);
                        break;
                    }
                }
            }
            remoteAddresses.add(from);
        }
        worker.registerAddress(from, this);
    }

    private void sendDtlsFromSession(byte[] datagram) {
        if (worker.inEventLoop()) {
            writeDtls(datagram);
            return;
        }
        try {
            worker.execute(() -> writeDtls(datagram));
        } catch (RejectedExecutionException e) {
            // Worker stopped: the transport is gone with it.
        }
    }

    private void writeDtls(byte[] datagram) {
        InetSocketAddress to = route();
        if (to == null || state == TransportState.CLOSED) {
            worker.counters.drop(DropReason.DTLS_NO_ROUTE);
            return;
        }
        worker.write(worker.alloc().directBuffer(datagram.length).writeBytes(datagram), to);
    }

    private void onDtlsEstablished(DtlsKeys keys) {
        if (state == TransportState.CLOSED) return;
        srtp = new SrtpSession(keys.profile(), keys.localKey(), keys.localSalt(), keys.remoteKey(), keys.remoteSalt());
        srtpProfile = keys.profile();
        state = TransportState.SECURE;
        worker.counters.increment(Counter.DTLS_HANDSHAKES);
        LOG.debug("transport {}: DTLS done, {}", id, keys.profile());
        try {
            listener.onSecure(this);
        } catch (RuntimeException e) {
            LOG.warn("transport {}: listener failed in onSecure", id, e);
        }
        // After onSecure, so a receiver attached there sees the early packets too.
        replayEarlyMedia();
    }

    private static DropReason dropFor(SrtpStatus status) {
        return switch (status) {
            case AUTH_FAILED -> DropReason.SRTP_AUTH_FAILED;
            case REPLAYED -> DropReason.SRTP_REPLAY;
            case TOO_MANY_SSRCS -> DropReason.SRTP_TOO_MANY_SSRCS;
            case INVALID, FAILED, OK -> DropReason.SRTP_INVALID;
        };
    }

    /** DTLS outcomes arrive on the session's thread and are replayed on the worker. */
    private final class DtlsEvents implements DtlsSession.Events {
        @Override
        public void onEstablished(DtlsKeys keys) {
            onWorker(() -> onDtlsEstablished(keys));
        }

        @Override
        public void onFailed(DtlsFailure failure, String detail) {
            CloseReason reason = failure == DtlsFailure.FINGERPRINT_MISMATCH
                    ? CloseReason.FINGERPRINT_MISMATCH : CloseReason.DTLS_FAILED;
            onWorker(() -> close(reason, failure + ": " + detail));
        }

        @Override
        public void onClosed(String detail) {
            onWorker(() -> close(CloseReason.DTLS_CLOSED, detail));
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
