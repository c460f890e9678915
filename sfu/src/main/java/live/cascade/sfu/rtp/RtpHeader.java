package live.cascade.sfu.rtp;

/**
 * A reusable view of one RTP packet's header (RFC 3550 §5.1) over {@code byte[] buf, off, len}. {@link #parse}
 * validates every length (CSRCs, extension block, RFC 8285 elements, padding) and reports the first problem as an
 * {@link RtpStatus}; it never throws and never allocates.
 *
 * <p>Offsets returned by accessors are absolute positions in {@link #buffer()}.
 */
public final class RtpHeader {
    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 12;

    private static final byte[] EMPTY = new byte[0];

    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();
    private byte[] buf = EMPTY;
    private int offset;
    private int length;
    private boolean padding;
    private boolean extension;
    private boolean marker;
    private int csrcCount;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private int extensionProfile;
    private int extensionOffset;
    private int extensionLength;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;
    private int foundExtensionLength;

    /** Parses the packet at {@code [off, off+len)}. The view keeps a reference to {@code buf}. */
    public RtpStatus parse(byte[] buf, int off, int len) {
        this.buf = EMPTY;
        this.offset = this.length = 0;
        if (!BigEndian.inBounds(buf, off, len)) return RtpStatus.BAD_BOUNDS;
        if (len < FIXED_HEADER_LENGTH) return RtpStatus.TOO_SHORT;
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != VERSION) return RtpStatus.BAD_VERSION;
        int cc = b0 & 0x0F;
        int pos = FIXED_HEADER_LENGTH + 4 * cc;
        if (pos > len) return RtpStatus.CSRC_OVERRUN;
        boolean x = (b0 & 0x10) != 0;
        int profile = 0;
        int extOff = -1;
        int extLen = 0;
        if (x) {
            if (pos + 4 > len) return RtpStatus.EXTENSION_OVERRUN;
            profile = BigEndian.u16(buf, off + pos);
            extLen = BigEndian.u16(buf, off + pos + 2) * 4;
            pos += 4;
            if (extLen > len - pos) return RtpStatus.EXTENSION_OVERRUN;
            extOff = off + pos;
            pos += extLen;
            if (cursor.reset(buf, extOff, extLen, profile)) {
                while (cursor.next()) { /* validate every element */ }
                if (cursor.malformed()) return RtpStatus.EXTENSION_ELEMENT_OVERRUN;
            }
        }
        boolean p = (b0 & 0x20) != 0;
        int pad = 0;
        if (p) {
            if (len == pos) return RtpStatus.BAD_PADDING;
            pad = buf[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - pos) return RtpStatus.BAD_PADDING;
        }
        int b1 = buf[off + 1] & 0xFF;
        this.buf = buf;
        this.offset = off;
        this.length = len;
        this.padding = p;
        this.extension = x;
        this.csrcCount = cc;
        this.marker = (b1 & 0x80) != 0;
        this.payloadType = b1 & 0x7F;
        this.sequenceNumber = BigEndian.u16(buf, off + 2);
        this.timestamp = BigEndian.u32(buf, off + 4);
        this.ssrc = BigEndian.u32(buf, off + 8);
        this.extensionProfile = profile;
        this.extensionOffset = extOff;
        this.extensionLength = extLen;
        this.payloadOffset = off + pos;
        this.paddingLength = pad;
        this.payloadLength = len - pos - pad;
        return RtpStatus.OK;
    }

    public byte[] buffer() { return buf; }

    /** Absolute offset of the packet's first byte. */
    public int offset() { return offset; }

    /** Whole packet length, padding included. */
    public int length() { return length; }

    public int version() { return VERSION; }

    public boolean hasPadding() { return padding; }

    public boolean hasExtension() { return extension; }

    public int csrcCount() { return csrcCount; }

    public long csrc(int i) {
        if (i < 0 || i >= csrcCount) throw new IndexOutOfBoundsException(i);
        return BigEndian.u32(buf, offset + FIXED_HEADER_LENGTH + 4 * i);
    }

    public boolean marker() { return marker; }

    public int payloadType() { return payloadType; }

    public int sequenceNumber() { return sequenceNumber; }

    /** Unsigned 32-bit RTP timestamp. */
    public long timestamp() { return timestamp; }

    /** Unsigned 32-bit SSRC. */
    public long ssrc() { return ssrc; }

    /** Bytes from the packet start to the payload (fixed header, CSRCs, extension). */
    public int headerLength() { return payloadOffset - offset; }

    /** The 16-bit "defined by profile" field of the extension, 0 when there is none. */
    public int extensionProfile() { return extensionProfile; }

    /** Absolute offset of the extension block's data (after its 4-byte header), -1 when there is none. */
    public int extensionOffset() { return extensionOffset; }

    /** Length of the extension block's data in bytes (a multiple of 4). */
    public int extensionLength() { return extensionLength; }

    public int payloadOffset() { return payloadOffset; }

    /** Payload bytes, padding excluded. */
    public int payloadLength() { return payloadLength; }

    public int paddingLength() { return paddingLength; }

    /**
     * Finds the RFC 8285 element with {@code id}: returns the absolute offset of its data and remembers its length for
     * {@link #foundExtensionLength()}, or returns -1 when absent (or the block is not RFC 8285 form).
     */
    public int findExtension(int id) {
        foundExtensionLength = 0;
        if (!extension || id < 1 || id > 255) return -1;
        if (!cursor.reset(buf, extensionOffset, extensionLength, extensionProfile)) return -1;
        while (cursor.next()) {
            if (cursor.id() == id) {
                foundExtensionLength = cursor.dataLength();
                return cursor.dataOffset();
            }
        }
        return -1;
    }

    /** Data length of the element last found by {@link #findExtension}. */
    public int foundExtensionLength() { return foundExtensionLength; }

    /** True when the element {@code id} is present and its data equals {@code value}. */
    public boolean extensionEquals(int id, byte[] value) {
        int at = findExtension(id);
        if (at < 0 || foundExtensionLength != value.length) return false;
        for (int i = 0; i < value.length; i++) if (buf[at + i] != value[i]) return false;
        return true;
    }
}
