package live.cascade.sfu.dtls;

/** Why a DTLS handshake did not produce keys. */
public enum DtlsFailure {
    /** The peer's certificate does not hash to the fingerprint its SDP announced. */
    FINGERPRINT_MISMATCH,
    /** The peer did not offer (or the server did not pick) an SRTP profile we support. */
    NO_COMMON_SRTP_PROFILE,
    /** Anything else: timeout, fatal alert, protocol error, no client certificate. */
    HANDSHAKE_FAILED
}
