package live.cascade.sfu.transport;

/**
 * The sending side of one peer's secured transport (ICE + DTLS + SRTP), as the routing layer sees it.
 * All calls happen on the owning media worker's thread.
 */
public interface MediaTransport {
    /**
     * Protects the plain RTP packet in place and sends it. The buffer must have at least
     * {@link #SRTP_TAIL_ROOM} bytes free after {@code off + len}; it may be reused as soon as this returns.
     * A transport that is not connected yet drops the packet and counts it.
     */
    void sendRtp(byte[] buf, int off, int len);

    /** As {@link #sendRtp}, for one (possibly compound) plain RTCP packet. */
    void sendRtcp(byte[] buf, int off, int len);

    /**
     * Whether RTCP feedback sent with {@link #sendRtcp} reaches the sender's encoder (a keyframe request can be
     * answered). False for an in-process ingest, whose RTMP or SRT encoder cannot be asked for anything.
     */
    default boolean carriesFeedback() { return true; }

    /** Room to leave after a packet for the SRTP/SRTCP auth tag (GCM 16) plus the SRTCP index (4), with margin. */
    int SRTP_TAIL_ROOM = 32;
}
