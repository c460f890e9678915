package live.cascade.sfu.transport;

/** Why a {@link TransportControl} closed. */
public enum CloseReason {
    /** Closed by the application (WHIP/WHEP DELETE, session replaced). */
    DELETED,
    /** Selected pair without an authenticated check for the consent timeout (RFC 7675): the peer went away. */
    CONSENT_EXPIRED,
    /** No pair was ever selected within the consent timeout. */
    ICE_TIMEOUT,
    /** ICE and DTLS were not both done within the setup timeout after the transport was created. */
    SETUP_TIMEOUT,
    /** The DTLS handshake failed (timeout, protocol error, no common SRTP profile). */
    DTLS_FAILED,
    /** The peer's DTLS certificate does not match the fingerprint in its SDP. */
    FINGERPRINT_MISMATCH,
    /** The peer closed DTLS (close_notify) or sent a fatal alert after the handshake. */
    DTLS_CLOSED,
    /** The peer's ICE-TCP connection closed, or it read too slowly to keep its bounded write queue from overflowing. */
    TCP_CLOSED,
    /** The media engine shut down. */
    ENGINE_CLOSED
}
