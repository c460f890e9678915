package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Writes chunk headers byte by byte, as the specification lays them out, for the reader's tests. */
final class Chunks {
    private final ByteBuf out = Unpooled.buffer();

    static Chunks start() { return new Chunks(); }

    private Chunks basic(int fmt, int csid) {
        if (csid < 64) out.writeByte((fmt << 6) | csid);
        else if (csid < 320) out.writeByte(fmt << 6).writeByte(csid - 64);
        else out.writeByte((fmt << 6) | 1).writeShortLE(csid - 64);
        return this;
    }

    Chunks type0(int csid, long timestamp, int length, int type, int streamId) {
        basic(0, csid);
        boolean ext = timestamp >= 0xFFFFFF;
        out.writeMedium(ext ? 0xFFFFFF : (int) timestamp).writeMedium(length).writeByte(type).writeIntLE(streamId);
        if (ext) out.writeInt((int) timestamp);
        return this;
    }

    Chunks type1(int csid, long delta, int length, int type) {
        basic(1, csid);
        boolean ext = delta >= 0xFFFFFF;
        out.writeMedium(ext ? 0xFFFFFF : (int) delta).writeMedium(length).writeByte(type);
        if (ext) out.writeInt((int) delta);
        return this;
    }

    Chunks type2(int csid, long delta) {
        basic(2, csid);
        out.writeMedium((int) delta);
        return this;
    }

    Chunks type3(int csid) { return basic(3, csid); }

    Chunks int32(long v) {
        out.writeInt((int) v);
        return this;
    }

    Chunks bytes(byte[] b, int off, int len) {
        out.writeBytes(b, off, len);
        return this;
    }

    Chunks bytes(byte[] b) { return bytes(b, 0, b.length); }

    /** One whole message in chunks of {@code chunkSize}: a type 0 header, then type 3. */
    Chunks message(int csid, long timestamp, int type, int streamId, byte[] payload, int chunkSize) {
        type0(csid, timestamp, payload.length, type, streamId);
        for (int off = 0; off < payload.length; off += chunkSize) {
            if (off > 0) {
                type3(csid);
                if (timestamp >= 0xFFFFFF) out.writeInt((int) timestamp);
            }
            bytes(payload, off, Math.min(chunkSize, payload.length - off));
        }
        return this;
    }

    Chunks setChunkSize(int size) {
        return type0(2, 0, 4, RtmpMessage.SET_CHUNK_SIZE, 0).int32(size);
    }

    ByteBuf buf() { return out; }

    byte[] toArray() {
        byte[] b = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), b);
        return b;
    }

    static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }
}
