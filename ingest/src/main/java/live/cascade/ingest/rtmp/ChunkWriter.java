package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * Writes messages as chunks: a type 0 header, then type 3 headers for each further chunk of the same message. The
 * server sends few messages (control, command replies, status), so nothing cleverer is worth it.
 */
public final class ChunkWriter {
    /** Chunk streams the server writes on, as other servers do: protocol control, commands, stream status. */
    public static final int CONTROL_CSID = 2;
    public static final int COMMAND_CSID = 3;
    public static final int STATUS_CSID = 5;

    private int chunkSize = ChunkReader.DEFAULT_CHUNK_SIZE;

    public int chunkSize() { return chunkSize; }

    /** Takes effect for messages written after it; write the Set Chunk Size message itself first. */
    public void chunkSize(int size) {
        if (size < 1) throw new IllegalArgumentException("chunk size " + size);
        chunkSize = size;
    }

    public void write(int csid, RtmpMessage m, ByteBuf out) {
        if (csid < 2 || csid > 63) throw new IllegalArgumentException("csid " + csid + " (2-63 written here)");
        byte[] p = m.payload();
        long ts = m.timestamp() & 0xFFFF_FFFFL;
        boolean extended = ts >= 0xFFFFFF;
        out.writeByte(csid);
        out.writeMedium(extended ? 0xFFFFFF : (int) ts);
        out.writeMedium(p.length);
        out.writeByte(m.type());
        out.writeIntLE(m.streamId());
        if (extended) out.writeInt((int) ts);
        int off = 0;
        do {
            int n = Math.min(chunkSize, p.length - off);
            out.writeBytes(p, off, n);
            off += n;
            if (off < p.length) {
                out.writeByte(0xC0 | csid);
                if (extended) out.writeInt((int) ts);
            }
        } while (off < p.length);
    }
}
