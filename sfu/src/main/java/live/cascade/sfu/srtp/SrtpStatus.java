package live.cascade.sfu.srtp;

/** Outcome of protecting or unprotecting one packet. Expected failures are values, never exceptions. */
public enum SrtpStatus {
    OK,
    /** Authentication tag did not verify (wrong key, tampering, or garbage). */
    AUTH_FAILED,
    /** Already seen, or too old for the replay window. */
    REPLAYED,
    /** Too short or structurally impossible for its SRTP/SRTCP profile. */
    INVALID,
    /** A new remote SSRC would exceed the per-session limit on crypto contexts. */
    TOO_MANY_SSRCS,
    /** The cipher itself failed; should not happen with valid keys. */
    FAILED
}
