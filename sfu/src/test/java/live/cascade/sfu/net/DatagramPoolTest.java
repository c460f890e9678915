package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DatagramPoolTest {
    private static final InetSocketAddress TO = new InetSocketAddress("192.0.2.7", 5004);

    @Test
    void aWrittenDatagramComesBackToThePoolWhenTheChannelReleasesIt() {
        EmbeddedChannel channel = new EmbeddedChannel();
        DatagramPool pool = new DatagramPool(TO, 4);
        byte[] packet = {1, 2, 3, 4, 5};
        DatagramPacket first = pool.take(channel.alloc(), packet, 1, 3);
        assertThat(first.recipient()).isSameAs(TO);
        assertThat(ByteBufUtil.getBytes(first.content())).containsExactly(2, 3, 4);
        channel.writeAndFlush(first, channel.voidPromise());
        DatagramPacket out = channel.readOutbound();
        assertThat(out).isSameAs(first);
        out.release();

        DatagramPacket second = pool.take(channel.alloc(), packet, 0, 5);
        assertThat(second).as("recycled").isSameAs(first);
        assertThat(ByteBufUtil.getBytes(second.content())).containsExactly(1, 2, 3, 4, 5);
        assertThat(pool.created()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void whenEveryPooledDatagramIsInFlightAPlainOneIsMadeAndCounted() {
        EmbeddedChannel channel = new EmbeddedChannel();
        DatagramPool pool = new DatagramPool(TO, 2);
        byte[] packet = new byte[100];
        DatagramPacket a = pool.take(channel.alloc(), packet, 0, 100);
        DatagramPacket b = pool.take(channel.alloc(), packet, 0, 100);
        DatagramPacket c = pool.take(channel.alloc(), packet, 0, 100);
        assertThat(pool.created()).isEqualTo(2);
        assertThat(pool.misses()).isEqualTo(1);
        assertThat(c).isNotSameAs(a).isNotSameAs(b);
        assertThat(c.content().readableBytes()).isEqualTo(100);
        a.release();
        b.release();
        c.release();
        assertThat(pool.take(channel.alloc(), packet, 0, 10)).isIn(a, b);
        channel.finishAndReleaseAll();
    }

    @Test
    void retainAndReleaseCountLikeAnyReferenceCountedMessage() {
        DatagramPool pool = new DatagramPool(TO, 1);
        DatagramPacket d = pool.take(io.netty.buffer.ByteBufAllocator.DEFAULT, new byte[8], 0, 8);
        d.retain();
        assertThat(d.release()).isFalse();
        assertThat(d.refCnt()).isEqualTo(1);
        assertThat(d.release()).isTrue();
        assertThat(pool.take(io.netty.buffer.ByteBufAllocator.DEFAULT, new byte[8], 0, 8)).isSameAs(d);
    }

    @Test
    void aPooledDatagramKnowsItsNativeAddressSoTheEpollSendPathAllocatesNothingToAskIt() {
        DatagramPool pool = new DatagramPool(TO, 1);
        DatagramPacket d = pool.take(io.netty.buffer.ByteBufAllocator.DEFAULT, new byte[1200], 0, 1200);
        // IovArray.add asks hasMemoryAddress() and memoryAddress() for every datagram it puts into sendmmsg's vectors.
        assertThat(d.content().hasMemoryAddress()).isTrue();
        long address = d.content().memoryAddress();
        assertThat(address).isNotZero();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (int i = 0; i < 10_000; i++) sum += d.content().memoryAddress(); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) sum += d.content().memoryAddress() - address;
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(10_000 * address);
        // Netty's own answer allocated about 21 bytes a call (2 MB here); a stray JIT or TLAB event may add a few.
        assertThat(allocated).as("bytes allocated by 100,000 address look-ups").isLessThan(4 * 1024);
        d.release();
    }
}
