package live.cascade.sfu.rtp;

/**
 * Walks the elements of an RFC 8285 header-extension block (one-byte {@code 0xBEDE} or two-byte {@code 0x100X}
 * form) and edits them in place without changing the block's size.
 *
 * <p>Rules (RFC 8285 §4.2, §4.3): a byte whose id is 0 is one byte of padding in both forms (we skip it whatever its
 * low nibble, as deployed receivers do); in the one-byte form id 15 is reserved and ends processing of the block.
 * Removing an element therefore means zeroing all of its bytes: every receiver reads them as padding. That keeps
 * removal in place and allocation-free, and no later element moves.
 */
public final class HeaderExtensionCursor {
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** Two-byte form: {@code 0x100} followed by 4 application bits. */
    public static final int PROFILE_TWO_BYTE = 0x1000;
    public static final int MAX_ONE_BYTE_ID = 14;
    public static final int MAX_ONE_BYTE_LENGTH = 16;
    public static final int MAX_TWO_BYTE_LENGTH = 255;

    private byte[] buf;
    private int pos;
    private int end;
    private boolean twoByte;
    private boolean malformed;
    private int id;
    private int elementOffset;
    private int dataOffset;
    private int dataLength;

    public static boolean isOneByte(int profile) { return profile == PROFILE_ONE_BYTE; }

    public static boolean isTwoByte(int profile) { return (profile & 0xFFF0) == PROFILE_TWO_BYTE; }

    /**
     * Positions before the first element of the block {@code [blockOffset, blockOffset+blockLength)}.
     * Returns false (and iterates nothing) when the profile is not an RFC 8285 one or the range is not in the buffer.
     */
    public boolean reset(byte[] buf, int blockOffset, int blockLength, int profile) {
        this.malformed = false;
        this.id = 0;
        if ((!isOneByte(profile) && !isTwoByte(profile)) || !BigEndian.inBounds(buf, blockOffset, blockLength)) {
            this.buf = buf;
            this.pos = this.end = 0;
            return false;
        }
        this.buf = buf;
        this.twoByte = isTwoByte(profile);
        this.pos = blockOffset;
        this.end = blockOffset + blockLength;
        return true;
    }

    /** Advances to the next element. False at the end, at a one-byte id 15, or when an element overruns the block. */
    public boolean next() {
        while (pos < end) {
            int b = buf[pos] & 0xFF;
            int elementId;
            int header;
            int length;
            if (twoByte) {
                if (b == 0) { pos++; continue; }
                if (pos + 2 > end) return overrun();
                elementId = b;
                header = 2;
                length = buf[pos + 1] & 0xFF;
            } else {
                elementId = b >>> 4;
                if (elementId == 0) { pos++; continue; }
                if (elementId == 15) { pos = end; return false; }
                header = 1;
                length = (b & 0x0F) + 1;
            }
            if (pos + header + length > end) return overrun();
            id = elementId;
            elementOffset = pos;
            dataOffset = pos + header;
            dataLength = length;
            pos = dataOffset + length;
            return true;
        }
        return false;
    }

    private boolean overrun() {
        malformed = true;
        pos = end;
        return false;
    }

    /** True once {@link #next()} stopped on an element that runs past the block. */
    public boolean malformed() { return malformed; }

    public boolean twoByte() { return twoByte; }

    public int id() { return id; }

    public int elementOffset() { return elementOffset; }

    /** Absolute offset of the current element's data. */
    public int dataOffset() { return dataOffset; }

    public int dataLength() { return dataLength; }

    /** Largest id the current form can carry. */
    public int maxId() { return twoByte ? 255 : MAX_ONE_BYTE_ID; }

    /** Rewrites the current element's id in place; false (nothing written) when the form cannot carry it. */
    public boolean setId(int newId) {
        if (newId < 1 || newId > maxId()) return false;
        if (twoByte) {
            buf[elementOffset] = (byte) newId;
        } else {
            buf[elementOffset] = (byte) (newId << 4 | (buf[elementOffset] & 0x0F));
        }
        id = newId;
        return true;
    }

    /**
     * Replaces the current element's data with {@code value} when it fits in the bytes the element has; the bytes it
     * frees become padding. False (nothing written) when it does not fit or the form cannot express the length.
     */
    public boolean replaceData(byte[] value) {
        int n = value.length;
        if (n > dataLength || (!twoByte && n == 0)) return false;
        System.arraycopy(value, 0, buf, dataOffset, n);
        for (int i = dataOffset + n, e = dataOffset + dataLength; i < e; i++) buf[i] = 0;
        if (twoByte) {
            buf[elementOffset + 1] = (byte) n;
        } else {
            buf[elementOffset] = (byte) (buf[elementOffset] & 0xF0 | (n - 1));
        }
        dataLength = n;
        return true;
    }

    /** Removes the current element by turning all its bytes into padding. */
    public void neutralize() {
        for (int i = elementOffset, e = dataOffset + dataLength; i < e; i++) buf[i] = 0;
        id = 0;
    }
}
