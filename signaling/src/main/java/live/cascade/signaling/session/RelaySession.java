package live.cascade.signaling.session;

import java.util.concurrent.CompletableFuture;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.TransportControl;

/**
 * This node's end of a relay: the channel's publisher here is another node (the origin), reached over a transport on
 * which we are the controlling ICE agent and the DTLS client. For the broadcast it is a publisher like a WHIP one
 * (NACKs, keyframe requests and receiver reports go to the origin); {@link #closed()} completes, with the reason,
 * when the transport closes however it closes (our {@link #close}, the origin dropping it, or the origin gone).
 */
public final class RelaySession implements RelayPublishResult {
    private final String sessionId;
    private final TransportControl transport;
    private final CompletableFuture<CloseReason> closed;

    RelaySession(String sessionId, TransportControl transport, CompletableFuture<CloseReason> closed) {
        this.sessionId = sessionId;
        this.transport = transport;
        this.closed = closed;
    }

    public String sessionId() { return sessionId; }

    /** Completes with why the relay's transport closed. */
    public CompletableFuture<CloseReason> closed() { return closed; }

    /** True once ICE and DTLS are done (media can flow). */
    public boolean secure() { return transport.srtpProfile() != null; }

    /** From any thread but a media lane's: closes the transport (DTLS close_notify tells the origin). Idempotent. */
    public void close() { transport.close(); }
}
