package live.cascade.sfu.params;

/** Our side's role in the DTLS handshake, derived from the remote {@code a=setup}. */
public enum DtlsRole {
    /** Remote said {@code actpass} or {@code active}: we wait for its ClientHello. */
    SERVER,
    /** Remote said {@code passive} (FFmpeg's default): we send the ClientHello once ICE has nominated a pair. */
    CLIENT
}
