package live.cascade.sfu.rtp;

/** Outcome of parsing an RTP packet: {@link #OK} or the reason it is malformed. */
public enum RtpStatus {
    OK,
    /** offset/length do not describe a range inside the buffer. */
    BAD_BOUNDS,
    /** Shorter than the 12-byte fixed header. */
    TOO_SHORT,
    /** Version field is not 2. */
    BAD_VERSION,
    /** The CSRC list runs past the end of the packet. */
    CSRC_OVERRUN,
    /** The header-extension header or block runs past the end of the packet. */
    EXTENSION_OVERRUN,
    /** An RFC 8285 extension element runs past the end of its block. */
    EXTENSION_ELEMENT_OVERRUN,
    /** P bit set but the padding count is 0 or larger than what follows the header. */
    BAD_PADDING
}
