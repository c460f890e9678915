package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/**
 * Iterates the packets of a compound RTCP packet, checking each header: version, the length field against what is
 * left, and padding (only on the last packet, count in range). Iteration stops at the first problem and
 * {@link #status()} names it; packets already returned were well-formed.
 *
 * <pre>{@code
 * walker.reset(buf, off, len);
 * while (walker.next()) { switch (walker.packetType()) { ... } }
 * if (walker.status() != RtcpStatus.OK) ...
 * }</pre>
 */
public final class RtcpWalker {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int pos;
    private int end;
    private RtcpStatus status = RtcpStatus.OK;
    private int packetOffset;
    private int packetLength;
    private int paddingLength;
    private int packetType;
    private int count;

    public void reset(byte[] buf, int off, int len) {
        packetOffset = packetLength = paddingLength = packetType = count = 0;
        if (!BigEndian.inBounds(buf, off, len)) {
            this.buf = EMPTY;
            pos = end = 0;
            status = RtcpStatus.BAD_BOUNDS;
            return;
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.status = len < RtcpTypes.HEADER_LENGTH ? RtcpStatus.TOO_SHORT : RtcpStatus.OK;
    }

    /** Walks the whole compound packet and returns its status; afterwards call {@link #reset} again to iterate. */
    public RtcpStatus validate(byte[] buf, int off, int len) {
        reset(buf, off, len);
        while (next()) { /* checks happen in next() */ }
        return status;
    }

    /** Moves to the next packet; false at the end or on a malformed header (then {@link #status()} says why). */
    public boolean next() {
        if (status != RtcpStatus.OK || pos >= end) return false;
        int remaining = end - pos;
        if (remaining < RtcpTypes.HEADER_LENGTH) return fail(RtcpStatus.TOO_SHORT);
        int b0 = buf[pos] & 0xFF;
        if (b0 >>> 6 != 2) return fail(RtcpStatus.BAD_VERSION);
        int bytes = (BigEndian.u16(buf, pos + 2) + 1) * 4;
        if (bytes > remaining) return fail(RtcpStatus.LENGTH_OVERRUN);
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            if (bytes != remaining) return fail(RtcpStatus.PADDING_NOT_LAST);
            pad = buf[pos + bytes - 1] & 0xFF;
            if (pad == 0 || pad > bytes - RtcpTypes.HEADER_LENGTH) return fail(RtcpStatus.BAD_PADDING);
        }
        packetOffset = pos;
        packetLength = bytes;
        paddingLength = pad;
        packetType = buf[pos + 1] & 0xFF;
        count = b0 & 0x1F;
        pos += bytes;
        return true;
    }

    private boolean fail(RtcpStatus s) {
        status = s;
        pos = end;
        return false;
    }

    public RtcpStatus status() { return status; }

    public byte[] buffer() { return buf; }

    public int packetType() { return packetType; }

    /** Report count, source count or feedback format (the 5-bit field). */
    public int count() { return count; }

    public int packetOffset() { return packetOffset; }

    /** Bytes of the current packet, header and padding included. */
    public int packetLength() { return packetLength; }

    /** Bytes of the current packet without its padding: what the views parse. */
    public int contentLength() { return packetLength - paddingLength; }

    public int paddingLength() { return paddingLength; }
}
