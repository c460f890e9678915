package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;

/**
 * Splits an ICE-TCP byte stream into packets (RFC 4571 framing, RFC 6544: each packet is preceded by its length as a
 * 16-bit big-endian number). Bytes may arrive in any split: a frame is assembled across reads in one fixed buffer, so
 * deframing allocates nothing. A frame longer than {@code maxFrame} is no WebRTC packet: it is skipped (its length is
 * still known, so the stream stays in sync) and reported; an empty frame is reported too.
 *
 * <p>One per connection, used on its event loop only.
 */
final class Rfc4571Deframer {
    /** What the deframer finds in the stream. */
    interface Frames {
        /** A complete frame in {@code buf[0, len)}; the buffer is reused after the call returns. */
        void frame(byte[] buf, int len);

        /** A frame of {@code len} bytes, longer than the limit, was skipped. */
        void oversized(int len);

        /** A zero-length frame. */
        void empty();
    }

    private final byte[] frame;
    private int headerBytes;
    private int header;
    private int length = -1;
    private int have;
    private int skipping;

    Rfc4571Deframer(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 0xFFFF) throw new IllegalArgumentException("maxFrame out of range: " + maxFrame);
        this.frame = new byte[maxFrame];
    }

    /** Consumes every readable byte of {@code in}, reporting each complete frame in order. */
    void feed(ByteBuf in, Frames out) {
        while (in.isReadable()) {
            if (skipping > 0) {
                int n = Math.min(skipping, in.readableBytes());
                in.skipBytes(n);
                skipping -= n;
                continue;
            }
            if (length < 0) {
                header = (header << 8) | in.readUnsignedByte();
                if (++headerBytes < 2) continue;
                int len = header & 0xFFFF;
                headerBytes = 0;
                header = 0;
                if (len == 0) {
                    out.empty();
                } else if (len > frame.length) {
                    skipping = len;
                    out.oversized(len);
                } else {
                    length = len;
                    have = 0;
                }
                continue;
            }
            int n = Math.min(length - have, in.readableBytes());
            in.readBytes(frame, have, n);
            have += n;
            if (have == length) {
                length = -1;
                out.frame(frame, have);
            }
        }
    }

    /** True when no frame is half-read (a clean place for the peer to have stopped). */
    boolean atBoundary() {
        return length < 0 && headerBytes == 0 && skipping == 0;
    }

    /** Writes the 2-byte length prefix of a frame of {@code len} bytes. */
    static void writeHeader(ByteBuf out, int len) {
        if (len < 0 || len > 0xFFFF) throw new IllegalArgumentException("frame length out of range: " + len);
        out.writeShort(len);
    }
}
