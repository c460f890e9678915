package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.transport.CloseReason;

/**
 * One passive ICE-TCP connection (RFC 6544) on a media worker's event loop. Inbound, RFC 4571 frames are cut out of
 * the stream and handed, with the connection's remote address as their source, to the same classification and
 * routing as UDP datagrams ({@link UdpPacketHandler#dispatch}), so ICE-lite, DTLS, SRTP and the router do not know
 * the difference. Outbound, anything the worker sends to that remote address ({@link DatagramWriter}) is framed and
 * written here instead of to the UDP socket.
 *
 * <p>The write queue is bounded by the channel's water marks: above the high mark packets are dropped and counted
 * ({@link DropReason#TX_TCP_QUEUE_FULL}); a peer that stays that slow for {@link #SLOW_PEER_LIMIT_NANOS} is dropped
 * (counted, its transport closed with {@link CloseReason#TCP_CLOSED}, its socket closed, which is how it is told),
 * so it can never hold a worker's memory or time. A connection that brings no authenticated STUN check within the
 * setup timeout is closed.
 */
final class IceTcpConnection extends ChannelInboundHandlerAdapter implements Rfc4571Deframer.Frames {
    /** How long a peer may keep the write queue above its high-water mark before it is dropped. */
    static final long SLOW_PEER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final MediaWorker worker;
    private final Rfc4571Deframer deframer = new Rfc4571Deframer(MediaWorker.MAX_DATAGRAM);
    /** A view of the deframer's buffer, handed to dispatch: one wrapper per connection, not per frame. */
    private ByteBuf frameView;
    private final Runnable flushTask = this::flush;
    private Channel channel;
    private InetSocketAddress remote;
    private ScheduledFuture<?> authDeadline;
    private boolean flushScheduled;
    private final SlowPeerPolicy slowPeer = new SlowPeerPolicy(SLOW_PEER_LIMIT_NANOS);
    private boolean closed;

    IceTcpConnection(MediaWorker worker) {
        this.worker = worker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        worker.counters.increment(Counter.TCP_CONNECTIONS_ACCEPTED);
        worker.tcpRoutes.put(remote, this);
        long setupMillis = Math.min(worker.settings().setupTimeout().toMillis(), worker.settings().consentTimeout().toMillis());
        authDeadline = ctx.executor().schedule(this::closeIfUnauthenticated, setupMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        worker.out.beginRead();
        try {
            deframer.feed(bytes, this);
        } catch (RuntimeException e) {
            worker.counters.drop(DropReason.INTERNAL_ERROR);
        } finally {
            bytes.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        worker.out.endRead();
        flush();
    }

    @Override
    public void frame(byte[] buf, int len) {
        ByteBuf view = frameView;
        if (view == null || view.array() != buf) frameView = view = Unpooled.wrappedBuffer(buf);
        view.setIndex(0, len);
        worker.stamps.onStreamRead();
        worker.inbound.dispatch(view, remote);
    }

    @Override
    public void oversized(int len) {
        worker.counters.drop(DropReason.TCP_FRAME_OVERSIZED);
    }

    @Override
    public void empty() {
        worker.counters.drop(DropReason.TCP_FRAME_EMPTY);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) slowPeer.onWritable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (remote != null) onClosed("its ICE-TCP connection from " + remote + " closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a broken pipe concerns this peer only.
        worker.counters.increment(Counter.SOCKET_ERRORS);
        ctx.close();
    }

    /**
     * Frames and queues one packet to the peer (flushed once per read batch or event-loop turn). Worker thread only.
     * Returns false when it was dropped because the queue is full.
     */
    boolean send(byte[] buf, int off, int len) {
        if (!writable()) return false;
        ByteBuf out = channel.alloc().directBuffer(len + 2);
        Rfc4571Deframer.writeHeader(out, len);
        queue(out.writeBytes(buf, off, len), len);
        return true;
    }

    /** As {@link #send(byte[], int, int)} for a buffer the caller gives up (released here). */
    void send(ByteBuf packet) {
        try {
            if (!writable()) return;
            int len = packet.readableBytes();
            ByteBuf out = channel.alloc().directBuffer(len + 2);
            Rfc4571Deframer.writeHeader(out, len);
            queue(out.writeBytes(packet), len);
        } finally {
            packet.release();
        }
    }

    /** False (dropped, counted) above the high-water mark; a peer that stays there too long is dropped. */
    private boolean writable() {
        if (closed) return false;
        if (channel.isWritable()) return true;
        worker.counters.drop(DropReason.TX_TCP_QUEUE_FULL);
        if (slowPeer.onFull(System.nanoTime())) {
            worker.counters.increment(Counter.TCP_SLOW_PEERS_CLOSED);
            onClosed("its ICE-TCP peer " + remote + " read too slowly for " + SLOW_PEER_LIMIT_NANOS / 1_000_000 + " ms");
            channel.close();
        }
        return false;
    }

    private void queue(ByteBuf framed, int len) {
        worker.counters.increment(Counter.TX_DATAGRAMS);
        worker.counters.add(Counter.TX_BYTES, len);
        channel.write(framed, channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) channel.flush();
    }

    private void closeIfUnauthenticated() {
        if (closed) return;
        if (worker.transports.byAddress(remote) == null) {
            worker.counters.increment(Counter.TCP_UNAUTHENTICATED_CLOSED);
            channel.close();
        }
    }

    /** The connection is gone: stop routing to it, and end the transport whose only path it was. */
    private void onClosed(String detail) {
        if (closed) return;
        closed = true;
        worker.counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
        worker.tcpRoutes.remove(remote, this);
        if (authDeadline != null) authDeadline.cancel(false);
        PeerTransport transport = worker.transports.byAddress(remote);
        if (transport != null && remote.equals(transport.route())) transport.close(CloseReason.TCP_CLOSED, detail);
    }
}
