package live.cascade.sfu.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import live.cascade.sfu.ice.IceCredentials;
import live.cascade.sfu.ice.StunMessages;
import live.cascade.sfu.ice.StunRuntime;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.transport.MediaTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media worker: a single Netty event-loop thread that owns one UDP socket and every transport bound to it. All
 * media state of those transports (ICE, SRTP, routing) lives on this thread, so none of it needs a lock; other threads
 * reach it with {@link #execute} / {@link #submit}.
 *
 * <p>Writes are batched: packets written while a read batch is being processed are flushed once in
 * {@code channelReadComplete}; writes from tasks outside a read batch schedule a single flush task.
 */
public final class MediaWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);

    /** Datagrams above this are not WebRTC media; the receive buffer and scratch arrays are sized to it. */
    static final int MAX_DATAGRAM = 2048;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final int index;
    private final WorkerSettings settings;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Channel channel;
    private final long consentTimeoutNanos;
    private final long setupTimeoutNanos;
    private final boolean epoll;
    private volatile List<Candidate> candidates = List.of();

    final PacketCounters counters = new PacketCounters();
    /** Ingress copy of one datagram (Jitsi SRTP and ice4j work on arrays), with tail room like any packet buffer. */
    final byte[] rxScratch = new byte[MAX_DATAGRAM + MediaTransport.SRTP_TAIL_ROOM];
    final byte[] stunResponse = new byte[StunMessages.MAX_RESPONSE_LENGTH];
    final byte[] hmacScratch = new byte[20];
    final CRC32 crc = new CRC32();
    final PacketBuffer rxPacket = new PacketBuffer();
    final PacketBuffer txPacket = new PacketBuffer();

    private final HashMap<String, PeerTransport> byUfrag = new HashMap<>();
    private final HashMap<InetSocketAddress, PeerTransport> byAddress = new HashMap<>();
    private final ArrayList<PeerTransport> transports = new ArrayList<>();
    private long nextTransportId;

    /** Null when the kernel's receive timestamps are not available: then the wait is unknown (0). */
    private KernelReceiveTimes kernelTimes;
    private long readAtNanos;
    private long readLatenessNanos;
    private boolean inReadBatch;
    private boolean pendingFlush;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushScheduled;
    private ScheduledFuture<?> sweep;
    private boolean closed;

    private MediaWorker(int index, WorkerSettings settings, EventLoopGroup group, EventLoop loop, Channel channel,
                        boolean epoll) {
        this.index = index;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.group = group;
        this.loop = loop;
        this.channel = channel;
        this.consentTimeoutNanos = settings.consentTimeout().toNanos();
        this.setupTimeoutNanos = settings.setupTimeout().toNanos();
        this.epoll = epoll;
        channel.pipeline().addLast("udp", new UdpPacketHandler(this));
        loop.register(channel).syncUninterruptibly();
    }

    /**
     * Starts a worker thread (epoll when available and preferred, NIO otherwise) and binds its UDP socket.
     *
     * @param bindAddress address and port to bind (port 0 picks an ephemeral port)
     * @param advertised  addresses to advertise as host candidates, most preferred first
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MediaWorker bind(int index, InetSocketAddress bindAddress, List<InetAddress> advertised,
                                   WorkerSettings settings, boolean preferEpoll) {
        // One-time library warm-up, here rather than on the first packet of some worker.
        SrtpRuntime.initialize();
        StunRuntime.initialize();
        boolean epoll = preferEpoll && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("media-worker-" + index, true), io);
        Channel channel = null;
        MediaWorker worker;
        try {
            channel = epoll ? new EpollDatagramChannel() : new NioDatagramChannel();
            channel.config().setOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.config().setOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
            // Above the high mark sends are dropped and counted rather than queued without bound.
            channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(SOCKET_BUFFER_BYTES / 4, SOCKET_BUFFER_BYTES / 2));
            worker = new MediaWorker(index, settings, group, group.next(), channel, epoll);
            channel.bind(bindAddress).syncUninterruptibly();
        } catch (Exception e) {
            // syncUninterruptibly rethrows the bind's IOException undeclared, hence the broad catch.
            if (channel != null) channel.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof IOException bindFailure) {
                throw new UncheckedIOException("cannot bind media port " + bindAddress, bindFailure);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
        worker.candidates = HostCandidates.forPort(advertised, worker.port());
        KernelReceiveTimes.Result stamps = KernelReceiveTimes.enable(channel);
        worker.kernelTimes = stamps.times().orElse(null);
        worker.startSweep();
        LOG.info("media worker {} on udp {} ({}; arrival times: {})", index, channel.localAddress(), epoll ? "epoll" : "nio",
                stamps.description());
        return worker;
    }

    public int index() { return index; }

    /** The bound UDP address. */
    public InetSocketAddress localAddress() { return (InetSocketAddress) channel.localAddress(); }

    public int port() { return localAddress().getPort(); }

    /** True on the native epoll transport, false on NIO. */
    public boolean usesEpoll() { return epoll; }

    /** The host candidates every transport on this worker advertises. */
    public List<Candidate> candidates() { return candidates; }

    public WorkerSettings settings() { return settings; }

    public EventLoop eventLoop() { return loop; }

    public boolean inEventLoop() { return loop.inEventLoop(); }

    public void execute(Runnable task) { loop.execute(task); }

    public <T> Future<T> submit(Callable<T> task) { return loop.submit(task); }

    /** Runs {@code task} on the worker after {@code delay}; callers outside sfu need not know the worker is Netty's. */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    /** Runs {@code task} on the worker every {@code period}. */
    public java.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return loop.scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    /** Runs {@code task} on the worker and waits for it (directly when already on it). */
    public <T> T call(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> future;
        try {
            future = loop.submit(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("media worker " + index + " has stopped", e);
        }
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for media worker " + index, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("media worker " + index + " did not answer", e);
        }
    }

    /** A snapshot of this worker's counters, taken on the worker thread. */
    public Map<String, Long> counters() {
        return call(counters::snapshot);
    }

    /** Number of open transports. */
    public int transportCount() {
        return call(transports::size);
    }

    /**
     * Creates a transport on this worker with fresh local ICE credentials. Callable from any thread except another
     * worker's (it waits for this worker).
     */
    public PeerTransport createTransport(TransportParameters parameters, TransportListener listener) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(listener, "listener");
        return call(() -> {
            if (closed) throw new IllegalStateException("media worker " + index + " is closed");
            IceParameters local = uniqueLocalIce();
            PeerTransport transport = new PeerTransport(this, "w" + index + "-t" + (nextTransportId++), parameters,
                    local, listener, settings.nanoClock().getAsLong());
            byUfrag.put(local.ufrag(), transport);
            transports.add(transport);
            counters.increment(Counter.TRANSPORTS_CREATED);
            return transport;
        });
    }

    @Override
    public String toString() {
        return "MediaWorker[" + index + " " + channel.localAddress() + "]";
    }

    /**
     * Closes every transport ({@link CloseReason#ENGINE_CLOSED}), the socket and the thread. Not from a worker
     * thread: it waits for the event loop to stop.
     */
    @Override
    public void close() {
        try {
            call(() -> {
                closed = true;
                if (sweep != null) sweep.cancel(false);
                for (int i = transports.size() - 1; i >= 0; i--) {
                    if (i < transports.size()) transports.get(i).close(CloseReason.ENGINE_CLOSED, "engine closed");
                }
                flushNow();
                return null;
            });
        } catch (IllegalStateException e) {
            LOG.debug("media worker {} already stopped", index);
        }
        channel.close().awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    // ---- worker-thread internals ----

    IceParameters uniqueLocalIce() {
        IceParameters local;
        do {
            local = IceCredentials.random();
        } while (byUfrag.containsKey(local.ufrag()));
        return local;
    }

    PeerTransport transportByUfrag(String ufrag) { return byUfrag.get(ufrag); }

    PeerTransport transportByAddress(InetSocketAddress address) { return byAddress.get(address); }

    void registerUfrag(String ufrag, PeerTransport transport) { byUfrag.put(ufrag, transport); }

    void unregisterUfrag(String ufrag, PeerTransport transport) { byUfrag.remove(ufrag, transport); }

    /** Routes DTLS and SRTP from {@code address} to {@code transport}; the latest authenticated check wins. */
    void registerAddress(InetSocketAddress address, PeerTransport transport) {
        PeerTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) previous.forgetAddress(address);
    }

    void unregisterAddress(InetSocketAddress address, PeerTransport transport) { byAddress.remove(address, transport); }

    void removeTransport(PeerTransport transport) {
        transports.remove(transport);
        counters.increment(Counter.TRANSPORTS_CLOSED);
    }

    Channel channel() { return channel; }

    ByteBufAllocator alloc() { return channel.alloc(); }

    boolean writable() { return channel.isWritable(); }

    long now() { return settings.nanoClock().getAsLong(); }

    /** Queues one datagram; flushed at the end of the read batch or by a flush task scheduled once. */
    void write(ByteBuf datagram, InetSocketAddress to) {
        write(new DatagramPacket(datagram, to));
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

    /** Called as each datagram is handed to us: when the kernel received it, as far as it can tell. */
    void onDatagramRead() {
        KernelReceiveTimes k = kernelTimes;
        if (k == null) return;
        readAtNanos = System.nanoTime();
        k.arrivalNanos(readAtNanos);
        readLatenessNanos = k.lastLatenessNanos();
    }

    /**
     * How long ago the datagram being handled reached this host: its wait in the socket before we read it (kernel
     * stamp) plus the time since. 0 when the kernel's stamps are not available.
     */
    long datagramWaitedNanos() {
        if (kernelTimes == null || readLatenessNanos == 0) return 0;
        return readLatenessNanos + (System.nanoTime() - readAtNanos);
    }

    void endRead() {
        inReadBatch = false;
        flushNow();
    }

    private void flushScheduled() {
        flushScheduled = false;
        flushNow();
    }

    private void flushNow() {
        if (pendingFlush) {
            pendingFlush = false;
            channel.flush();
        }
    }

    /** Closes transports whose consent lapsed or whose setup took too long. Runs periodically on the worker. */
    void sweepConsent() {
        long now = now();
        for (int i = transports.size() - 1; i >= 0; i--) {
            if (i < transports.size()) transports.get(i).checkTimeouts(now, consentTimeoutNanos, setupTimeoutNanos);
        }
    }

    private void startSweep() {
        // A quarter of the shorter timeout keeps expiry within 25% of the configured value, never busier than 20 Hz;
        // at least twice a second, so a session that never connects is gone within half a second of its timeout.
        long shorter = Math.min(settings.consentTimeout().toMillis(), settings.setupTimeout().toMillis());
        long period = Math.max(50, Math.min(500, shorter / 4));
        sweep = loop.scheduleAtFixedRate(this::sweepConsent, period, period, TimeUnit.MILLISECONDS);
    }
}
