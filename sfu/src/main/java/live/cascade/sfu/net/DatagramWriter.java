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
 * single flush task. A batch whose unflushed bytes reach {@code flushAtBytes} is flushed there and goes on: Netty
 * counts written-but-unflushed bytes against the channel's high water mark, so one read batch carrying several
 * publisher packets to hundreds of viewers (or a spread relay's drain) would otherwise turn the channel unwritable
 * by itself and its own later sends would be dropped as {@code TX_CHANNEL_FULL} while the socket had room. A packet
 * to the remote address of an ICE-TCP connection goes down that connection instead ({@link IceTcpConnection}), so the
 * callers (STUN, DTLS, SRTP) only ever name an address. Worker thread only.
 */
final class DatagramWriter {
    private final Channel channel;
    private final EventLoop loop;
    private final PacketCounters counters;
    private final HashMap<InetSocketAddress, IceTcpConnection> tcpRoutes;
    private final Runnable flushTask = this::flushScheduled;
    private final long flushAtBytes;
    /** Bytes written since the last flush; above 0 a flush is due (no datagram we send is empty). */
    private long unflushedBytes;
    private boolean inReadBatch;
    private boolean flushScheduled;

    /** {@code flushAtBytes}: below the channel's low water mark, so a batch alone never makes it unwritable. */
    DatagramWriter(Channel channel, EventLoop loop, PacketCounters counters,
                   HashMap<InetSocketAddress, IceTcpConnection> tcpRoutes, long flushAtBytes) {
        if (flushAtBytes <= 0) throw new IllegalArgumentException("flushAtBytes must be positive: " + flushAtBytes);
        this.flushAtBytes = flushAtBytes;
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
        int bytes = datagram.content().readableBytes();
        counters.increment(Counter.TX_DATAGRAMS);
        counters.add(Counter.TX_BYTES, bytes);
        channel.write(datagram, channel.voidPromise());
        unflushedBytes += bytes;
        if (unflushedBytes >= flushAtBytes) {
            flushNow();
        } else if (!inReadBatch && !flushScheduled) {
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
        if (unflushedBytes > 0) {
            unflushedBytes = 0;
            channel.flush();
        }
    }

    private void flushScheduled() {
        flushScheduled = false;
        flushNow();
    }
}
