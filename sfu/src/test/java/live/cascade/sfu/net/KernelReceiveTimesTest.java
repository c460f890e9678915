package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KernelReceiveTimesTest {
    @Test
    void aDatagramThatWaitedForABusyEventLoopIsDatedWhenTheKernelReceivedIt() throws Exception {
        assertThat(Epoll.isAvailable()).as("Netty's epoll transport (the node's on Linux): %s", Epoll.unavailabilityCause()).isTrue();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EpollDatagramChannel channel = new EpollDatagramChannel();
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch[] latch = {read};
            AtomicLong readAt = new AtomicLong();
            AtomicLong arrival = new AtomicLong();
            KernelReceiveTimes[] times = new KernelReceiveTimes[1];
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    long now = System.nanoTime();
                    readAt.set(now);
                    arrival.set(times[0].arrivalNanos(now));
                    ReferenceCountUtil.release(msg);
                    latch[0].countDown();
                }
            });
            group.register(channel).sync();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
            KernelReceiveTimes.Result enabled = KernelReceiveTimes.enable(channel);
            assertThat(enabled.times()).as(enabled.description()).isPresent();
            times[0] = enabled.times().get();

            // The kernel switches receive stamping on for the host asynchronously (a deferred static key), so the
            // first datagrams after the first socket asks may still be stamped when read. Wait until a short busy
            // spell shows up as lateness: from then on every datagram carries the kernel's stamp.
            boolean stamping = false;
            for (int attempt = 0; attempt < 40 && !stamping; attempt++) {
                waitForBusyLoop(channel, 40, read);
                stamping = times[0].lastLatenessNanos() > 20_000_000L;
                read = new CountDownLatch(1);
                latch[0] = read;
            }
            assertThat(stamping).as("the kernel stamped a datagram that waited 40 ms within 40 tries").isTrue();

            // The event loop is busy for 300 ms; the datagram arrives at its start and waits in the socket.
            long sentAt = waitForBusyLoop(channel, 300, read);

            assertThat(readAt.get() - sentAt).as("read after the busy spell").isGreaterThan(200_000_000L);
            // Dated at the kernel's receipt, within a few ms of the send even on a loaded machine.
            assertThat(arrival.get()).isBetween(sentAt - 1_000_000L, sentAt + 50_000_000L);
            assertThat(times[0].lastLatenessNanos()).isGreaterThan(150_000_000L);
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Keeps the channel's event loop busy for {@code millis} and sends a datagram at its start; returns when it was sent. */
    private static long waitForBusyLoop(EpollDatagramChannel channel, long millis, CountDownLatch read) throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        channel.eventLoop().execute(() -> {
            busy.countDown();
            long until = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < until) Thread.onSpinWait();
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        long sentAt;
        try (DatagramSocket sender = new DatagramSocket()) {
            byte[] data = {(byte) 0x80, 1, 2, 3};
            sentAt = System.nanoTime();
            sender.send(new DatagramPacket(data, data.length, channel.localAddress()));
        }
        assertThat(read.await(10, TimeUnit.SECONDS)).as("the datagram was read").isTrue();
        return sentAt;
    }

    @Test
    void datingADatagramAllocatesNothing() throws Exception {
        assertThat(Epoll.isAvailable()).as("Netty's epoll transport (the node's on Linux): %s", Epoll.unavailabilityCause()).isTrue();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EpollDatagramChannel channel = new EpollDatagramChannel();
            group.register(channel).sync();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
            KernelReceiveTimes times = KernelReceiveTimes.enable(channel).times().orElseThrow();
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long sink = 0;
            for (int i = 0; i < 20_000; i++) sink += times.arrivalNanos(System.nanoTime()); // warm up (JIT)
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) sink += times.arrivalNanos(System.nanoTime());
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(sink).isNotZero();
            assertThat(allocated).as("bytes for 100,000 datagrams").isLessThan(1_000);
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
