package live.cascade.sfu.rtcp;

/** Outcome of walking or parsing RTCP: {@link #OK} or the reason it is malformed. */
public enum RtcpStatus {
    OK,
    /** offset/length do not describe a range inside the buffer. */
    BAD_BOUNDS,
    /** Fewer bytes than a header (or than the packet type's fixed part). */
    TOO_SHORT,
    /** Version field is not 2. */
    BAD_VERSION,
    /** The length field points past the end of the compound packet. */
    LENGTH_OVERRUN,
    /** The padding count is 0 or exceeds the packet. */
    BAD_PADDING,
    /** P bit set on a packet that is not the last of the compound (RFC 3550 §6.4.1 / A.2). */
    PADDING_NOT_LAST,
    /** The view was given a packet of another type or feedback format. */
    WRONG_TYPE,
    /** Report blocks, SSRC list, FIR entries or BYE reason run past the packet. */
    TRUNCATED,
    /** Feedback control information has the wrong size or identifier for its format. */
    BAD_FCI
}
