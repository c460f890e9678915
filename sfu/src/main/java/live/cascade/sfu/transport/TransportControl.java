package live.cascade.sfu.transport;

import java.util.List;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.SrtpProfile;

/**
 * One peer's transport as control code (signaling) sees it: what the SDP answer and an ICE restart need, the receiver
 * of its decrypted packets, and closing it. The control methods may be called from any thread but a media worker's
 * other than the transport's own: they hop onto its worker and wait. Sending ({@link MediaTransport}) stays on the
 * worker thread.
 */
public interface TransportControl extends MediaTransport {
    /** Unique within the engine, for logs. */
    String id();

    /** The local ICE credentials to put in the SDP answer (the newest generation after {@link #restartIce}). */
    IceParameters localIce();

    /** The remote ICE credentials (replaced by {@link #restartIce}). */
    IceParameters remoteIce();

    /** Our host candidates for this transport. */
    List<Candidate> localCandidates();

    /** The negotiated SRTP profile once secure, else null. */
    SrtpProfile srtpProfile();

    /** Attaches the receiver of decrypted RTP/RTCP (null detaches; packets are then dropped and counted). */
    void setReceiver(MediaReceiver receiver);

    /**
     * Starts an ICE restart and returns our new credentials for the answer; media keeps flowing on the old pair until
     * the new generation nominates one.
     *
     * @throws IllegalStateException when the transport is closed
     */
    IceParameters restartIce(IceParameters newRemoteIce);

    /** Closes with {@link CloseReason#DELETED}; the listener hears {@code onClosed}. Idempotent. */
    void close();

    /** True when ICE selected a passive ICE-TCP connection rather than UDP (false before any selection). */
    boolean selectedOverTcp();

    /** The remote address ICE selected (the peer's, or its TURN relay's), or null before a selection. */
    java.net.InetSocketAddress selectedAddress();
}
