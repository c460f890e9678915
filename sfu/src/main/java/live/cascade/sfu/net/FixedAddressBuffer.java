package live.cascade.sfu.net;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.nio.ByteBuffer;

/**
 * A direct buffer that looks its native address up once. The epoll transport asks every datagram's buffer for its
 * address as it fills {@code sendmmsg}'s vectors; without {@code sun.misc.Unsafe} (Netty 4.2 on JDK 24 and later)
 * Netty's {@link UnpooledDirectByteBuf} answers through {@code MemorySegment.ofBuffer}, which allocates a memory
 * session object on every call: about 21 bytes per packet sent, 1.1 MB/s at 200 viewers (issue 19's allocation
 * profile), and CPU to make and collect them. A recycled datagram's buffer never moves, so its address is kept.
 */
final class FixedAddressBuffer extends UnpooledDirectByteBuf {
    private final long address;

    FixedAddressBuffer(ByteBuffer direct) {
        super(UnpooledByteBufAllocator.DEFAULT, direct, direct.capacity());
        if (!direct.isDirect()) throw new IllegalArgumentException("not a direct buffer");
        this.address = super.hasMemoryAddress() ? super.memoryAddress() : 0;
    }

    @Override
    public boolean hasMemoryAddress() { return address != 0; }

    @Override
    public long memoryAddress() {
        if (address == 0) return super.memoryAddress(); // throws as Netty's own does
        return address;
    }
}
