package live.cascade.ingest.rtp;

import java.util.Arrays;

/**
 * The RTP packets of one frame, back to back with a two-byte length before each: made on the connection's thread,
 * handed to the channel's lane in one hop (one task per frame, not per packet).
 */
public final class RtpBatch {
    private byte[] data = new byte[16 * 1024];
    private int size;

    /** Room for a packet of at most {@code max} bytes: write it at {@link #packetOffset()}, then {@link #commit}. */
    byte[] reserve(int max) {
        if (size + 2 + max > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + 2 + max));
        return data;
    }

    int packetOffset() { return size + 2; }

    void commit(int len) {
        data[size] = (byte) (len >>> 8);
        data[size + 1] = (byte) len;
        size += 2 + len;
    }

    public boolean isEmpty() { return size == 0; }

    /** A copy of the packets so far (for the hop), and the batch empty again. */
    public byte[] drain() {
        byte[] out = Arrays.copyOf(data, size);
        size = 0;
        return out;
    }

    /** Calls {@code each} for every packet of a drained batch. */
    public static void forEach(byte[] drained, PacketConsumer each) {
        int p = 0;
        while (p + 2 <= drained.length) {
            int len = ((drained[p] & 0xFF) << 8) | (drained[p + 1] & 0xFF);
            each.accept(drained, p + 2, len);
            p += 2 + len;
        }
    }

    @FunctionalInterface
    public interface PacketConsumer {
        void accept(byte[] buf, int off, int len);
    }
}
