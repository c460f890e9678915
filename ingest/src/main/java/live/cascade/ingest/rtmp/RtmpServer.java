package live.cascade.ingest.rtmp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublishers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP listener: one TCP port, one small event-loop group of its own (RTMP is a handful of publishers, not the
 * packet path), a read timeout so a silent or half-open encoder frees its channel. Each connection is an
 * {@link RtmpConnection}.
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtmpServer.class);
    /** An encoder sends media many times a second; this long without a byte means it is gone. */
    static final int READ_TIMEOUT_SECONDS = 20;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService blocking;
    private final RtmpCounters counters;

    private RtmpServer(EventLoopGroup group, Channel channel, ExecutorService blocking, RtmpCounters counters) {
        this.group = group;
        this.channel = channel;
        this.blocking = blocking;
        this.counters = counters;
    }

    /**
     * Binds {@code host:port} (0 for any free port).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static RtmpServer start(String host, int port, int threads, IngestGate gate, StreamPublishers publishers) {
        return start(host, port, threads, gate, publishers, new RtmpCounters(), (SslContext) null);
    }

    /**
     * As {@link #start(String, int, int, IngestGate, StreamPublishers)}, counting into {@code counters} (shared by the
     * RTMP and RTMPS listeners), and speaking TLS first when {@code tls} is not null (RTMPS: RTMP inside TLS).
     */
    public static RtmpServer start(String host, int port, int threads, IngestGate gate, StreamPublishers publishers,
                                   RtmpCounters counters, SslContext tls) {
        return start(host, port, threads, gate, publishers, counters, tls == null ? null : () -> tls);
    }

    /**
     * As above with the TLS context asked for at each connection, so that a certificate the node reloads (SIGHUP)
     * serves new connections while those already open keep theirs; null for plain RTMP.
     */
    public static RtmpServer start(String host, int port, int threads, IngestGate gate, StreamPublishers publishers,
                                   RtmpCounters counters, Supplier<SslContext> tls) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, Thread.ofPlatform().name("rtmp-", 0).daemon().factory(),
                NioIoHandler.newFactory());
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            if (tls != null) c.pipeline().addLast(tls.get().newHandler(c.alloc()));
                            c.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS),
                                    new RtmpConnection(gate, publishers, counters, blocking, tls == null ? "rtmp" : "rtmps"));
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            LOG.info("{} ingest on TCP {}", tls == null ? "RTMP" : "RTMPS", ch.localAddress());
            return new RtmpServer(group, ch, blocking, counters);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            blocking.close();
            throw new IllegalStateException("cannot listen for " + (tls == null ? "RTMP" : "RTMPS") + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() { return ((InetSocketAddress) channel.localAddress()).getPort(); }

    public RtmpCounters counters() { return counters; }

    /** True while the listening socket is open. */
    public boolean listening() { return channel.isActive(); }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        blocking.close();
    }
}
