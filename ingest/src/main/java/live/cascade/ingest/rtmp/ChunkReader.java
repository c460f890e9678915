package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reassembles RTMP messages from the chunk stream (RTMP 1.0 §5.3): basic headers of 1 to 3 bytes (chunk stream ids
 * 2-65599), message headers of type 0 (absolute), 1 and 2 (deltas) and 3 (nothing: the previous header again),
 * extended timestamps, interleaved chunk streams each with its own partial message, and Set Chunk Size and Abort,
 * which take effect here, at once, because they change how the very next chunk is framed. Everything else goes up
 * as a whole {@link RtmpMessage}.
 *
 * <p>A chunk is consumed only when all of it has arrived; otherwise the buffer is left at the chunk's start. Input that
 * cannot be framed throws {@link RtmpProtocolException}. Not thread-safe: one per connection.
 */
public final class ChunkReader {
    /** Larger messages are refused: a 4K keyframe is well under it, a hostile length field is not. */
    public static final int MAX_MESSAGE = 8 << 20;
    /** Chunk streams one connection may use at once (encoders use a handful). */
    static final int MAX_CHUNK_STREAMS = 64;
    public static final int DEFAULT_CHUNK_SIZE = 128;

    private static final class ChunkStream {
        long timestamp;
        long timestampField;
        int length;
        int type;
        int streamId;
        boolean extended;
        boolean started;
        byte[] payload;
        int filled;
    }

    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesRead;

    public int chunkSize() { return chunkSize; }

    /** Bytes of chunk stream consumed so far (for acknowledgements). */
    public long bytesRead() { return bytesRead; }

    /** Reads every whole chunk in {@code in}, handing each completed message to {@code out}. */
    public void read(ByteBuf in, Consumer<RtmpMessage> out) {
        while (true) {
            int start = in.readerIndex();
            RtmpMessage m = readChunk(in);
            if (in.readerIndex() == start) return;
            bytesRead += in.readerIndex() - start;
            if (m != null) deliver(m, out);
        }
    }

    private void deliver(RtmpMessage m, Consumer<RtmpMessage> out) {
        if (m.streamId() == 0 && m.type() == RtmpMessage.SET_CHUNK_SIZE) {
            long size = int32(m.payload()) & 0x7FFF_FFFFL;
            if (size < 1 || size > MAX_MESSAGE) throw new RtmpProtocolException("chunk size " + size + " out of range");
            chunkSize = (int) size;
            return;
        }
        if (m.type() == RtmpMessage.ABORT) {
            ChunkStream s = streams.get((int) int32(m.payload()));
            if (s != null) s.filled = 0;
            return;
        }
        out.accept(m);
    }

    private static long int32(byte[] p) {
        if (p.length < 4) throw new RtmpProtocolException("control message of " + p.length + " bytes (4 expected)");
        return ((p[0] & 0xFFL) << 24) | ((p[1] & 0xFFL) << 16) | ((p[2] & 0xFFL) << 8) | (p[3] & 0xFFL);
    }

    /** One chunk, or nothing consumed when it is incomplete; the message when this chunk completed one. */
    private RtmpMessage readChunk(ByteBuf in) {
        int start = in.readerIndex();
        if (!in.isReadable()) return null;
        int b0 = in.readUnsignedByte();
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        if (csid == 0) {
            if (!in.isReadable()) return rewind(in, start);
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) return rewind(in, start);
            csid = 64 + in.readUnsignedByte() + (in.readUnsignedByte() << 8);
        }
        int headerLength = switch (fmt) { case 0 -> 11; case 1 -> 7; case 2 -> 3; default -> 0; };
        if (in.readableBytes() < headerLength) return rewind(in, start);
        ChunkStream s = streams.get(csid);
        if (s == null) {
            if (fmt != 0) throw new RtmpProtocolException("chunk stream " + csid + " starts with a type " + fmt + " header");
            if (streams.size() >= MAX_CHUNK_STREAMS) throw new RtmpProtocolException("more than " + MAX_CHUNK_STREAMS + " chunk streams");
            s = new ChunkStream();
            streams.put(csid, s);
        }
        long tsField = 0;
        int length = s.length;
        int type = s.type;
        int streamId = s.streamId;
        if (fmt <= 2) tsField = in.readUnsignedMedium();
        if (fmt <= 1) {
            length = in.readUnsignedMedium();
            type = in.readUnsignedByte();
        }
        if (fmt == 0) streamId = in.readIntLE();
        boolean extended = fmt <= 2 ? tsField == 0xFFFFFF : s.extended;
        if (extended) {
            if (in.readableBytes() < 4) return rewind(in, start);
            long ext = in.readUnsignedInt();
            if (fmt <= 2) tsField = ext;
        }
        if (fmt == 3) tsField = s.timestampField;
        boolean newMessage = s.filled == 0;
        if (!newMessage && fmt != 3) throw new RtmpProtocolException("chunk stream " + csid + ": new header mid-message");
        if (length > MAX_MESSAGE) throw new RtmpProtocolException("message of " + length + " bytes (limit " + MAX_MESSAGE + ")");
        int remaining = length - s.filled;
        int take = Math.min(remaining, chunkSize);
        if (in.readableBytes() < take) return rewind(in, start);
        // The whole chunk is here: commit the header.
        if (newMessage) {
            if (fmt == 0) s.timestamp = tsField;
            else if (s.started) s.timestamp = (s.timestamp + tsField) & 0xFFFF_FFFFL;
            else throw new RtmpProtocolException("chunk stream " + csid + " has no timestamp to add a delta to");
            s.started = true;
            s.timestampField = tsField;
            s.length = length;
            s.type = type;
            s.streamId = streamId;
            if (s.payload == null || s.payload.length != length) s.payload = new byte[length];
        }
        s.extended = extended;
        in.readBytes(s.payload, s.filled, take);
        s.filled += take;
        if (s.filled < s.length) return null;
        s.filled = 0;
        byte[] payload = s.payload;
        s.payload = null;
        return new RtmpMessage(s.type, s.streamId, s.timestamp, payload);
    }

    private static RtmpMessage rewind(ByteBuf in, int start) {
        in.readerIndex(start);
        return null;
    }
}
