package live.cascade.sfu.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A media worker's passive ICE-TCP port: accepted connections live on the worker's own event loop (boss and child
 * alike), so their packets meet the worker's transports without crossing threads.
 */
final class IceTcpListener {
    /**
     * The bounded write queue of one connection: above the high mark sends are dropped ({@link IceTcpConnection}).
     * 512 KiB is over a second of a 2.5 Mbit/s stream: enough for TCP's own retransmission, no more.
     */
    static final WriteBufferWaterMark WRITE_QUEUE = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private IceTcpListener() {}

    /** Binds the TCP port on {@code group} (the worker's single-thread group). */
    static Channel bind(MediaWorker worker, EventLoopGroup group, boolean epoll, InetSocketAddress address) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_QUEUE)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("ice-tcp", new IceTcpConnection(worker));
                    }
                });
        try {
            return b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            // syncUninterruptibly rethrows the bind's IOException undeclared, hence the broad catch.
            if (e instanceof IOException bindFailure) {
                throw new UncheckedIOException("cannot bind ICE-TCP port " + address, bindFailure);
            }
            throw e;
        }
    }
}
