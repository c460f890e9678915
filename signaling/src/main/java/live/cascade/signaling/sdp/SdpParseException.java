package live.cascade.signaling.sdp;

/**
 * An SDP or sdpfrag body that cannot be read. The message names the line (1-based, counting blank lines) and what
 * was wrong with it, so the HTTP layer can return it verbatim as the detail of a 400.
 */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    /** A problem not tied to one line (e.g. a missing mandatory line), or found before the line is known. */
    public SdpParseException(String reason) {
        this(0, reason);
    }

    public SdpParseException(int line, String reason) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
        this.reason = reason;
    }

    /** 1-based line number, or 0 when the problem concerns the whole body. */
    public int line() {
        return line;
    }

    /** The problem without the line prefix. */
    public String reason() {
        return reason;
    }

    /** This problem located at {@code lineNumber}, unless it already names a line. */
    SdpParseException atLine(int lineNumber) {
        return line > 0 ? this : new SdpParseException(lineNumber, reason);
    }
}
