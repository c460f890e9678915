package live.cascade.sfu.srtp;

import java.util.Arrays;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * A re-pointable {@link ByteArrayBuffer} view over someone else's array. Jitsi SRTP wants this interface; keeping one
 * instance per direction per worker and re-pointing it at each packet avoids a wrapper object per packet.
 *
 * <p>Not thread-safe: one owner thread. {@link #grow} reallocates only when a caller broke the tail-room contract,
 * which the transport checks before protecting, so the steady state never copies.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int off;
    private int len;

    public PacketBuffer wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    /** Drops the reference to the caller's array so a pooled array is not kept reachable through this holder. */
    public void release() {
        buf = EMPTY;
        off = 0;
        len = 0;
    }

    @Override public byte[] getBuffer() { return buf; }
    @Override public int getOffset() { return off; }
    @Override public int getLength() { return len; }
    @Override public void setLength(int len) { this.len = len; }
    @Override public void setOffset(int off) { this.off = off; }
    @Override public boolean isInvalid() { return false; }

    @Override
    public void readRegionToBuff(int regionOff, int regionLen, byte[] out) {
        System.arraycopy(buf, off + regionOff, out, 0, regionLen);
    }

    @Override
    public void grow(int howMuch) {
        if (buf.length - off - len < howMuch) {
            buf = Arrays.copyOf(buf, off + len + howMuch);
        }
    }

    @Override
    public void append(byte[] data, int dataLen) {
        grow(dataLen);
        System.arraycopy(data, 0, buf, off + len, dataLen);
        len += dataLen;
    }

    @Override
    public void shrink(int howMuch) {
        len = Math.max(0, len - howMuch);
    }
}
