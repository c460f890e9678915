package live.cascade.sfu.net;

/** Why a media worker dropped a datagram or an outgoing packet. Each has its own counter. */
public enum DropReason {
    /** Empty, or first byte outside the RFC 7983 ranges for STUN (0-3), DTLS (20-63) and RTP/RTCP (128-191). */
    NOT_STUN_DTLS_RTP,
    /** Larger than the worker's receive buffer. */
    OVERSIZED,
    /** STUN header, length or attribute layout invalid, or ice4j could not decode it. */
    STUN_MALFORMED,
    /** A STUN Binding indication (keepalive): nothing to answer. */
    STUN_INDICATION,
    /** A STUN message other than a Binding request (an ICE-lite agent sends no requests, so expects no responses). */
    STUN_NOT_BINDING_REQUEST,
    /** A STUN response that answers none of our recent checks (or does not authenticate) on a relay transport. */
    STUN_UNMATCHED_RESPONSE,
    /** FINGERPRINT present but wrong. */
    STUN_BAD_FINGERPRINT,
    /** No USERNAME, or not of the form {@code ourUfrag:theirUfrag}. */
    STUN_NO_USERNAME,
    /** USERNAME names no live transport on this worker (unknown, retired by ICE restart, or closed). */
    STUN_UNKNOWN_UFRAG,
    /** No MESSAGE-INTEGRITY. */
    STUN_NO_INTEGRITY,
    /** MESSAGE-INTEGRITY does not verify with our password. */
    STUN_BAD_INTEGRITY,
    /** DTLS from an address no authenticated ICE check came from. */
    DTLS_UNKNOWN_PEER,
    /** DTLS for a transport whose role is client before it sent its ClientHello. */
    DTLS_UNEXPECTED,
    /** Not a sequence of complete DTLS records, or an encrypted record too short for the negotiated suite. */
    DTLS_MALFORMED,
    /** The DTLS session's inbound queue was full. */
    DTLS_QUEUE_FULL,
    /** A DTLS datagram to send, with no remote address to send it to, or after close. */
    DTLS_NO_ROUTE,
    /** RTP/RTCP from an address no authenticated ICE check came from. */
    RTP_UNKNOWN_PEER,
    /** Shorter than an RTP (12) or RTCP (8) header. */
    RTP_TOO_SHORT,
    /** SRTP/SRTCP before DTLS started, or past the early-media allowance while it finishes. */
    RTP_BEFORE_DTLS,
    /** SRTP/SRTCP authentication failed. */
    SRTP_AUTH_FAILED,
    /** SRTP/SRTCP replayed or too old. */
    SRTP_REPLAY,
    /** SRTP/SRTCP structurally invalid for the profile, or the cipher failed. */
    SRTP_INVALID,
    /** A new remote SSRC past the per-transport limit on crypto contexts. */
    SRTP_TOO_MANY_SSRCS,
    /** Decrypted fine, but no {@code MediaReceiver} is attached yet. */
    RTP_NO_RECEIVER,
    /** sendRtp/sendRtcp before the transport is secure (or after it closed). */
    TX_NOT_SECURE,
    /** sendRtp/sendRtcp whose packet is too short to be RTP/RTCP. */
    TX_MALFORMED,
    /** sendRtp/sendRtcp whose buffer lacks the tail room the SRTP tag needs. */
    TX_NO_TAIL_ROOM,
    /** SRTP protection failed. */
    TX_PROTECT_FAILED,
    /** The socket's outbound buffer is above its high-water mark. */
    TX_CHANNEL_FULL,
    /** An ICE-TCP frame (RFC 4571) longer than any WebRTC packet: skipped, the stream stays in sync. */
    TCP_FRAME_OVERSIZED,
    /** An empty ICE-TCP frame. */
    TCP_FRAME_EMPTY,
    /** An ICE-TCP connection's bounded write queue is full (its peer reads too slowly). */
    TX_TCP_QUEUE_FULL,
    /** An unexpected exception inside the packet path (a bug, counted rather than propagated). */
    INTERNAL_ERROR;

    static final DropReason[] VALUES = values();
}
