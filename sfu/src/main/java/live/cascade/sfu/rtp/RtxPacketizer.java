package live.cascade.sfu.rtp;

/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet is the original packet under the RTX stream's own
 * payload type, SSRC and sequence number, with the original sequence number (OSN) as the first two payload bytes.
 * Header extensions and CSRCs travel as they are. Both directions work on caller-owned arrays without allocating.
 */
public final class RtxPacketizer {
    public static final int OSN_LENGTH = 2;

    private RtxPacketizer() {}

    /**
     * Turns the plain packet at {@code [off, off+len)} with a header of {@code headerLength} bytes into its RTX form
     * in place: the payload (and any padding) moves back two bytes to make room for the OSN. {@code buf} needs
     * {@code len + 2} bytes from {@code off}. Returns the new length.
     */
    public static int wrap(byte[] buf, int off, int len, int headerLength, int rtxPayloadType, int rtxSequence,
                           long rtxSsrc) {
        if (headerLength < RtpHeader.FIXED_HEADER_LENGTH || headerLength > len) throw new IllegalArgumentException("header length " + headerLength);
        java.util.Objects.checkFromIndexSize(off, len + OSN_LENGTH, buf.length);
        int osn = BigEndian.u16(buf, off + 2);
        int payload = off + headerLength;
        System.arraycopy(buf, payload, buf, payload + OSN_LENGTH, len - headerLength);
        BigEndian.put16(buf, payload, osn);
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (rtxPayloadType & 0x7F));
        BigEndian.put16(buf, off + 2, rtxSequence & SequenceNumbers.MASK);
        BigEndian.put32(buf, off + 8, rtxSsrc);
        return len + OSN_LENGTH;
    }

    /** The original sequence number an RTX packet carries, or -1 when its payload is too short (padding only). */
    public static int originalSequence(RtpHeader rtx) {
        if (rtx.payloadLength() < OSN_LENGTH) return -1;
        return BigEndian.u16(rtx.buffer(), rtx.payloadOffset());
    }

    /**
     * Restores the original packet from the parsed RTX packet {@code rtx} into {@code dst} at {@code dstOff}: same
     * header with the original sequence number, {@code payloadType} and {@code ssrc}, and the payload after the OSN.
     * Padding is dropped (the P bit cleared). Returns the restored length, or -1 when the RTX packet carries no OSN
     * (a padding-only probe). {@code dst} needs {@code rtx.length()} bytes from {@code dstOff}.
     */
    public static int unwrap(RtpHeader rtx, byte[] dst, int dstOff, int payloadType, long ssrc) {
        int osn = originalSequence(rtx);
        if (osn < 0) return -1;
        byte[] src = rtx.buffer();
        int header = rtx.headerLength();
        int payload = rtx.payloadLength() - OSN_LENGTH;
        java.util.Objects.checkFromIndexSize(dstOff, header + payload, dst.length);
        System.arraycopy(src, rtx.offset(), dst, dstOff, header);
        System.arraycopy(src, rtx.payloadOffset() + OSN_LENGTH, dst, dstOff + header, payload);
        dst[dstOff] = (byte) (dst[dstOff] & ~0x20);
        dst[dstOff + 1] = (byte) ((dst[dstOff + 1] & 0x80) | (payloadType & 0x7F));
        BigEndian.put16(dst, dstOff + 2, osn);
        BigEndian.put32(dst, dstOff + 8, ssrc);
        return header + payload;
    }
}
