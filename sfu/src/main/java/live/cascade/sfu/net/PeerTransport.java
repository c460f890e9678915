package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.ice.CheckOutcome;
import live.cascade.sfu.ice.IceCredential;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's secured transport on one media worker: ICE-lite, then DTLS, then SRTP/SRTCP, over the worker's UDP
 * socket. States move {@code NEW -> CHECKING -> CONNECTED -> SECURE -> CLOSED} ({@link TransportState}).
 *
 * <p>This class owns the state machine, the SRTP session, the receive path to its {@link MediaReceiver} and closing;
 * its parts own the rest: {@link TransportIce} (credentials, restarts, consent, routed addresses),
 * {@link TransportDtls} (the handshake), {@link EarlyMedia} (SRTP that races the handshake) and {@link SrtpSender}
 * (the send path). Closing releases all of them, then tells the listener once.
 *
 * <p>Threading: everything runs on the worker thread. {@link #sendRtp}/{@link #sendRtcp} must be called there; the
 * control methods ({@link #setReceiver}, {@link #restartIce}, {@link #close()}) hop onto it when called elsewhere and
 * wait for it. Decrypted packets reach the {@link MediaReceiver} on the worker thread, in the worker's receive
 * buffer, which is reused after the call returns.
 */
public final class PeerTransport implements TransportControl {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);

    private final MediaWorker worker;
    private final String id;
    private final TransportParameters parameters;
    private final TransportListener listener;
    private final long createdNanos;
    private final TransportIce ice;
    private final TransportDtls dtls;
    private final EarlyMedia earlyMedia = new EarlyMedia();
    private final SrtpSender sender;

    private volatile TransportState state = TransportState.NEW;
    private volatile CloseReason closeReason;
    private volatile SrtpProfile srtpProfile;
    private volatile InetSocketAddress selectedAddress;
    private volatile boolean selectedOverTcp;

    private MediaReceiver receiver;
    private SrtpSession srtp;
    /** Set when we are the controlling ICE agent (a relay toward another node's ICE-lite), else null. */
    private ControllingIce controlling;

    PeerTransport(MediaWorker worker, String id, TransportParameters parameters, IceParameters localIce,
                  TransportListener listener, long nowNanos) {
        this.worker = worker;
        this.id = id;
        this.parameters = parameters;
        this.listener = listener;
        this.createdNanos = nowNanos;
        this.ice = new TransportIce(this, worker.transports, localIce, parameters.remoteIce(),
                worker.settings().requireUseCandidate(), nowNanos);
        this.dtls = new TransportDtls(this, worker, parameters);
        this.sender = new SrtpSender(worker);
    }

    // ---- public API ----

    @Override
    public String id() { return id; }

    public MediaWorker worker() { return worker; }

    public TransportParameters parameters() { return parameters; }

    @Override
    public IceParameters localIce() { return ice.localIce(); }

    @Override
    public IceParameters remoteIce() { return ice.remoteIce(); }

    /** The host candidates of this transport's worker. */
    @Override
    public List<Candidate> localCandidates() { return worker.candidates(); }

    public TransportState state() { return state; }

    /** Why the transport closed, or null while open. */
    public CloseReason closeReason() { return closeReason; }

    /** The negotiated SRTP profile once {@link TransportState#SECURE}, else null. */
    @Override
    public SrtpProfile srtpProfile() { return srtpProfile; }

    /** The remote address ICE selected, or null. */
    @Override
    public InetSocketAddress selectedAddress() { return selectedAddress; }

    @Override
    public boolean selectedOverTcp() { return selectedOverTcp; }

    @Override
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
    @Override
    public IceParameters restartIce(IceParameters newRemoteIce) {
        Objects.requireNonNull(newRemoteIce, "newRemoteIce");
        return worker.call(() -> {
            if (state == TransportState.CLOSED) throw new IllegalStateException("transport " + id + " is closed");
            return ice.restart(newRemoteIce);
        });
    }

    /**
     * Closes with {@link CloseReason#DELETED}: consent is revoked at once (checks are no longer answered, RFC 7675
     * 5.2), DTLS sends close_notify, and the listener hears {@code onClosed}. Idempotent.
     */
    @Override
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

    /**
     * Makes this transport the controlling ICE agent toward {@code candidates} (the peer is ICE-lite): routes them
     * here and starts checking. Called once, on the worker, right after creation.
     */
    void startChecks(List<InetSocketAddress> candidates, long consentTimeoutNanos) {
        controlling = new ControllingIce(this, worker, ice.localIce(), ice.remoteIce(), candidates, consentTimeoutNanos);
        for (InetSocketAddress candidate : candidates) ice.expect(candidate);
        controlling.start();
    }

    /** A STUN response from {@code from}: true when it answered one of our checks (and was applied). */
    boolean onCheckAnswer(byte[] buf, int len, InetSocketAddress from) {
        if (controlling == null || state == TransportState.CLOSED || !controlling.isAnswer(buf, len)) return false;
        CheckOutcome outcome = ice.onCheckAnswered(from, worker.now());
        if (state == TransportState.NEW) state = TransportState.CHECKING;
        if (outcome == CheckOutcome.SELECTED) onSelected(from);
        return true;
    }

    IceCredential credentialFor(String localUfrag) {
        return ice.credentialFor(localUfrag);
    }

    void onAuthenticatedCheck(IceCredential used, InetSocketAddress from, boolean useCandidate) {
        if (state == TransportState.CLOSED) return;
        CheckOutcome outcome = ice.onAuthenticatedCheck(used, from, useCandidate, worker.now());
        if (state == TransportState.NEW) state = TransportState.CHECKING;
        switch (outcome) {
            case RESTART_COMPLETED -> {
                LOG.debug("transport {}: ICE restart completed from {}", id, from);
                onSelected(from);
            }
            case SELECTED -> onSelected(from);
            case VALIDATED, CONSENT_REFRESHED -> { }
        }
    }

    void onDtls(ByteBuf content, InetSocketAddress from) {
        if (state == TransportState.CLOSED) return;
        dtls.onDatagram(content, from);
    }

    void onSrtp(byte[] buf, int len, boolean rtcp) {
        onSrtp(buf, len, rtcp, -1);
    }

    /** {@code waitedNanos}: how long ago the datagram reached this host, or -1 for the datagram being read now. */
    private void onSrtp(byte[] buf, int len, boolean rtcp, long waitedNanos) {
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
                r.onRtp(packet.getBuffer(), packet.getOffset(), packet.getLength(),
                        waitedNanos >= 0 ? waitedNanos : worker.stamps.waitedNanos());
                // A datagram read now, not one kept from before the keys (its wait is the handshake's, not ours).
                if (waitedNanos < 0) worker.forwardDelays.recordSince(worker.stamps.arrivedAtNanos());
            }
        } finally {
            packet.release();
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
        // A relay notices a peer that stopped answering sooner than the 30 s a browser's consent may lapse in.
        if (controlling != null) timeoutNanos = Math.min(timeoutNanos, controlling.consentTimeoutNanos());
        if (state != TransportState.CLOSED && ice.consentExpired(nowNanos, timeoutNanos)) {
            close(ice.everSelected() ? CloseReason.CONSENT_EXPIRED : CloseReason.ICE_TIMEOUT,
                    "no authenticated check for " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    /** Another transport authenticated from {@code address}; stop routing it here. */
    void forgetAddress(InetSocketAddress address) {
        ice.forgetAddress(address);
    }

    boolean isClosed() { return state == TransportState.CLOSED; }

    /** The threads this transport's DTLS handshake computed on, read on the worker (tests and diagnostics). */
    List<String> dtlsHandshakeThreads() { return worker.call(dtls::handshakeThreads); }

    /** Whether this transport's DTLS session thread still runs, read on the worker (tests and diagnostics). */
    boolean dtlsSessionRunning() { return worker.call(dtls::sessionRunning); }

    /** Where to send: the selected pair, or before selection (strict nomination) wherever DTLS came from. */
    InetSocketAddress route() {
        InetSocketAddress selected = ice.selected();
        return selected != null ? selected : dtls.lastSource();
    }

    void close(CloseReason reason, String detail) {
        if (state == TransportState.CLOSED) return;
        // close_notify goes out first, while the selected address still routes.
        dtls.close();
        state = TransportState.CLOSED;
        closeReason = reason;
        if (controlling != null) controlling.stop();
        ice.release();
        worker.transports.remove(this);
        if (srtp != null) {
            srtp.close();
            srtp = null;
        }
        receiver = null;
        earlyMedia.clear();
        LOG.info("transport {} closed: {} ({})", id, reason, detail);
        try {
            listener.onClosed(this, reason);
        } catch (RuntimeException e) {
            LOG.warn("transport {}: listener failed in onClosed", id, e);
        }
    }

    /** Keys are ready (replayed onto the worker by {@link TransportDtls}): SRTP starts, the listener hears it. */
    void onDtlsEstablished(DtlsKeys keys) {
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

    private void keepEarly(byte[] buf, int len) {
        // The receive stamp is read only for a datagram that will be kept (it costs an ioctl).
        if (!dtls.started() || state == TransportState.CLOSED
                || !earlyMedia.keep(buf, len, System.nanoTime() - worker.stamps.waitedNanos())) {
            worker.counters.drop(DropReason.RTP_BEFORE_DTLS);
            return;
        }
        worker.counters.increment(Counter.EARLY_MEDIA_KEPT);
    }

    private void replayEarlyMedia() {
        ArrayDeque<EarlyMedia.Kept> early = earlyMedia.drain();
        if (early == null) return;
        for (EarlyMedia.Kept k : early) {
            if (state != TransportState.SECURE) return;
            byte[] datagram = k.datagram();
            onSrtp(datagram, datagram.length, PacketClass.isRtcp(datagram[1] & 0xFF),
                    Math.max(0, System.nanoTime() - k.arrivalNanos()));
        }
    }

    private void onSelected(InetSocketAddress from) {
        selectedAddress = from;
        selectedOverTcp = worker.tcpRoutes.containsKey(from);
        if (state == TransportState.CHECKING) state = TransportState.CONNECTED;
        LOG.debug("transport {}: selected {}", id, from);
        try {
            listener.onConnected(this, from);
        } catch (RuntimeException e) {
            LOG.warn("transport {}: listener failed in onConnected", id, e);
        }
        if (state != TransportState.CLOSED) dtls.onSelected();
    }

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        if (!worker.inEventLoop()) {
            throw new IllegalStateException("send on " + Thread.currentThread().getName() + ", not on the worker");
        }
        sender.send(state == TransportState.SECURE ? srtp : null, route(), buf, off, len, rtcp);
    }

    private static DropReason dropFor(SrtpStatus status) {
        return switch (status) {
            case AUTH_FAILED -> DropReason.SRTP_AUTH_FAILED;
            case REPLAYED -> DropReason.SRTP_REPLAY;
            case TOO_MANY_SSRCS -> DropReason.SRTP_TOO_MANY_SSRCS;
            case INVALID, FAILED, OK -> DropReason.SRTP_INVALID;
        };
    }
}
