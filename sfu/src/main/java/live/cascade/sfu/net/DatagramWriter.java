package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.HashMap;

/**
 * A worker's send path onto its socket, with batched flushes: packets written while a read batch is being handled are
 * flushed once when the batch ends ({@code channelReadComplete}); writes from tasks outside a read batch schedule a
 * single flush task. A packet to the remote address of an ICE-TCP connection goes down that connection instead
 * ({@link IceTcpConnection}), so the callers (STUN, DTLS, SRTP) only ever name an address. Worker thread only.
 */
final class DatagramWriter {
    private final Channel channel;
    private final EventLoop loop;
    private final PacketCounters counters;
    private final HashMap<InetSocketAddress, IceTcpConnection> tcpRoutes;
    private final Runnable flushTask = this::flushScheduled;
    private boolean inReadBatch;
    private boolean pendingFlush;
    private boolean flushScheduled;

    DatagramWriter(Channel channel, EventLoop loop, PacketCounters counters,
                   HashMap<InetSocketAddress, IceTcpConnection> tcpRoutes) {
        this.channel = channel;
        this.tcpRoutes = tcpRoutes;
        this.loop = loop;
        this.counters = counters;
    }

    ByteBufAllocator alloc() { return channel.alloc(); }

    /** False above the socket's high water mark: then sends are dropped and counted rather than queued. */
    boolean writable() { return channel.isWritable(); }

    /** Queues one datagram; flushed at the end of the read batch or by a flush task scheduled once. */
    void write(ByteBuf datagram, InetSocketAddress to) {
        IceTcpConnection tcp = tcpRoute(to);
        if (tcp != null) {
            tcp.send(datagram);
            return;
        }
        write(new DatagramPacket(datagram, to));
    }

    /** The ICE-TCP connection whose peer is {@code to}, or null when {@code to} is reached over UDP. */
    IceTcpConnection tcpRoute(InetSocketAddress to) {
        return tcpRoutes.isEmpty() ? null : tcpRoutes.get(to);
    }

    /** As {@link #write(ByteBuf, InetSocketAddress)} for a ready envelope (a recycled one from a {@link DatagramPool}). */
    void write(DatagramPacket datagram) {
        counters.increment(Counter.TX_DATAGRAMS);
        counters.add(Counter.TX_BYTES, datagram.content().readableBytes());
        channel.write(datagram, channel.voidPromise());
        pendingFlush = true;
        if (!inReadBatch && !flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    void beginRead() { inReadBatch = true; }

    boolean inBatch() { return inReadBatch; }

    void endRead() {
        inReadBatch = false;
        flushNow();
    }

    void flushNow() {
        if (pendingFlush) {
            pendingFlush = false;
            channel.flush();
        }
    }

    private void flushScheduled() {
        flushScheduled = false;
        flushNow();
    }
}
