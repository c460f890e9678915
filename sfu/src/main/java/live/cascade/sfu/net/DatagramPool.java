package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Recycled outgoing datagrams to one destination, so that sending a packet allocates nothing.
 *
 * <p>Netty's datagram channels take one {@link DatagramPacket} envelope per write, and a plain one is a new object
 * per packet (the pooled content buffer is recycled by Netty, the envelope is not). Here each envelope owns a direct
 * buffer of its own and a fixed recipient; when the channel has written it and releases it, it comes back to this
 * pool instead of freeing anything. Envelopes are created on demand up to the pool's capacity, so the memory a
 * transport holds is its high-water mark of datagrams in flight; beyond that (a congested socket) a plain envelope is
 * made and counted by {@link #misses()}.
 *
 * <p>Confined to one event loop: taking, writing and releasing all happen on the worker thread.
 */
public final class DatagramPool {
    /** Largest datagram an envelope holds (the worker's datagram limit). */
    public static final int DATAGRAM_CAPACITY = MediaWorker.MAX_DATAGRAM;

    private final InetSocketAddress recipient;
    private final Envelope[] free;
    private int freeCount;
    private int created;
    private long misses;

    public DatagramPool(InetSocketAddress recipient, int capacity) {
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.free = new Envelope[capacity];
    }

    public InetSocketAddress recipient() { return recipient; }

    /**
     * A datagram to {@link #recipient()} holding a copy of {@code buf[off, off+len)}; write it with a void promise.
     * Ownership passes to the channel, which releases it when written (or failed).
     */
    public DatagramPacket take(ByteBufAllocator alloc, byte[] buf, int off, int len) {
        Envelope e = null;
        if (freeCount > 0) {
            e = free[--freeCount];
            free[freeCount] = null;
        } else if (created < free.length && len <= DATAGRAM_CAPACITY) {
            created++;
            // A JDK direct buffer (freed by the GC with the envelope), wrapped without a free-on-release duty.
            e = new Envelope(new FixedAddressBuffer(ByteBuffer.allocateDirect(DATAGRAM_CAPACITY)), recipient, this);
        }
        if (e == null || len > DATAGRAM_CAPACITY) {
            misses++;
            if (e != null) giveBack(e);
            return new DatagramPacket(alloc.directBuffer(len).writeBytes(buf, off, len), recipient);
        }
        ByteBuf content = e.content();
        content.clear();
        content.writeBytes(buf, off, len);
        e.refCnt = 1;
        return e;
    }

    private void giveBack(Envelope e) {
        if (freeCount < free.length) free[freeCount++] = e;
    }

    /** Envelopes made so far (the high-water mark of datagrams in flight, up to the capacity). */
    public int created() { return created; }

    /** Datagrams sent in a plain, allocated envelope because every pooled one was in flight. */
    public long misses() { return misses; }

    /**
     * A datagram whose release returns it to its pool. Its content buffer is never freed through reference counting:
     * the envelope's own count decides when it is free again.
     */
    private static final class Envelope extends DatagramPacket {
        private final DatagramPool pool;
        private int refCnt;

        Envelope(ByteBuf content, InetSocketAddress recipient, DatagramPool pool) {
            super(content, recipient);
            this.pool = pool;
        }

        @Override public int refCnt() { return refCnt; }

        @Override
        public DatagramPacket retain() { return retain(1); }

        @Override
        public DatagramPacket retain(int increment) {
            if (refCnt <= 0) throw new io.netty.util.IllegalReferenceCountException(refCnt, increment);
            refCnt += increment;
            return this;
        }

        @Override public boolean release() { return release(1); }

        @Override
        public boolean release(int decrement) {
            if (decrement > refCnt) throw new io.netty.util.IllegalReferenceCountException(refCnt, -decrement);
            refCnt -= decrement;
            if (refCnt > 0) return false;
            pool.giveBack(this);
            return true;
        }

        @Override public DatagramPacket touch() { return this; }

        @Override public DatagramPacket touch(Object hint) { return this; }
    }
}
