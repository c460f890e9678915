package live.cascade.sfu.net;

import live.cascade.sfu.transport.TransportListener;
import live.cascade.sfu.transport.CloseReason;
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
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import live.cascade.sfu.ice.StunMessages;
import live.cascade.sfu.ice.StunRuntime;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.os.ThreadNice;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.transport.MediaTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media worker: a single Netty event-loop thread that owns one UDP socket and every transport bound to it. All
 * media state of those transports (ICE, SRTP, routing) lives on this thread, so none of it needs a lock; other threads
 * reach it with {@link #execute} / {@link #call} (through {@code sfu.engine.MediaLane} from outside sfu).
 *
 * <p>The worker owns its parts: the socket and thread (here), its transports and their routing indexes
 * ({@link TransportTable}), the batched send path ({@link DatagramWriter}), the kernel's receive stamps
 * ({@link ReceiveStamps}), the receive scratch buffers its {@link UdpPacketHandler} uses, and the consent/setup sweep.
 */
public final class MediaWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);

    /** Datagrams above this are not WebRTC media; the receive buffer and scratch arrays are sized to it. */
    static final int MAX_DATAGRAM = 2048;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Water marks on what is queued in Netty for the socket; above the high one sends are dropped and counted. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(SOCKET_BUFFER_BYTES / 4, SOCKET_BUFFER_BYTES / 2);
    /** A write batch is flushed early at this many bytes (about 400 datagrams, one sendmmsg), half the low mark. */
    static final long FLUSH_AT_BYTES = WATER_MARK.low() / 2;
    private static final long CALL_TIMEOUT_SECONDS = 10;
    /**
     * The nice value a worker thread asks for. Its feedback to publishers is only as timely as its wake-ups: on a
     * node whose cores are busy (browsers, encoders, the HLS ladder, any batch job at the default nice 0) a worker
     * that waits for a core sends transport-cc feedback late, and a publisher starting then measured its first probes
     * low and took about 6 s to ramp (issue 16). Raising needs {@code CAP_SYS_NICE} or {@code LimitNICE=-10}.
     */
    static final int WORKER_NICE = -10;

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
    /** How long publishers' packets spent in this worker, receive stamp to handed on. */
    final ForwardDelays forwardDelays = new ForwardDelays();
    /** Ingress copy of one datagram (Jitsi SRTP and ice4j work on arrays), with tail room like any packet buffer. */
    final byte[] rxScratch = new byte[MAX_DATAGRAM + MediaTransport.SRTP_TAIL_ROOM];
    final byte[] stunResponse = new byte[StunMessages.MAX_RESPONSE_LENGTH];
    final byte[] hmacScratch = new byte[20];
    final CRC32 crc = new CRC32();
    final PacketBuffer rxPacket = new PacketBuffer();
    final PacketBuffer txPacket = new PacketBuffer();

    final TransportTable transports = new TransportTable(counters);
    /** Open ICE-TCP connections by their peer's address: packets to those addresses go down the connection. */
    final HashMap<InetSocketAddress, IceTcpConnection> tcpRoutes = new HashMap<>();
    final DatagramWriter out;
    /** Classifies and routes inbound packets, UDP datagrams and ICE-TCP frames alike. */
    final UdpPacketHandler inbound;
    /** Replaced on the worker once the socket is bound and the kernel's receive stamps are (or are not) enabled. */
    ReceiveStamps stamps = new ReceiveStamps(null);
    private ScheduledFuture<?> sweep;
    private boolean closed;
    /** The ICE-TCP listening socket, or null; set once while binding. */
    private volatile Channel tcpServer;

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
        this.out = new DatagramWriter(channel, loop, counters, tcpRoutes, FLUSH_AT_BYTES);
        this.inbound = new UdpPacketHandler(this);
        channel.pipeline().addLast("udp", inbound);
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
        return bind(index, bindAddress, null, advertised, settings, preferEpoll);
    }

    /**
     * As {@link #bind(int, InetSocketAddress, List, WorkerSettings, boolean)}, and listens for passive ICE-TCP on
     * {@code tcpBindAddress} (null: no ICE-TCP; port 0 picks an ephemeral port). Its candidates follow the UDP ones,
     * at a lower priority.
     */
    public static MediaWorker bind(int index, InetSocketAddress bindAddress, InetSocketAddress tcpBindAddress,
                                   List<InetAddress> advertised, WorkerSettings settings, boolean preferEpoll) {
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
            channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
            worker = new MediaWorker(index, settings, group, group.next(), channel, epoll);
            channel.bind(bindAddress).syncUninterruptibly();
            if (tcpBindAddress != null) worker.tcpServer = IceTcpListener.bind(worker, group, epoll, tcpBindAddress);
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
        List<Candidate> candidates = new java.util.ArrayList<>(HostCandidates.forPort(advertised, worker.port()));
        if (worker.tcpServer != null) candidates.addAll(HostCandidates.forTcpPort(advertised, worker.tcpPort()));
        worker.candidates = List.copyOf(candidates);
        KernelReceiveTimes.Result stamps = KernelReceiveTimes.enable(channel);
        ReceiveStamps receiveStamps = new ReceiveStamps(stamps.times().orElse(null));
        worker.call(() -> worker.stamps = receiveStamps);
        Optional<String> notRaised = worker.call(() -> ThreadNice.raiseCurrentThread(WORKER_NICE));
        worker.startSweep();
        LOG.info("media worker {} on udp {}{} ({}; arrival times: {}; priority: {})", index, channel.localAddress(),
                worker.tcpServer == null ? "" : " and ice-tcp " + worker.tcpServer.localAddress(), epoll ? "epoll" : "nio",
                stamps.description(), notRaised.map(why -> "unchanged, nice " + WORKER_NICE + " refused: " + why
                        + "; allow it with LimitNICE=" + WORKER_NICE + " or CAP_SYS_NICE").orElse("nice " + WORKER_NICE));
        return worker;
    }

    public int index() { return index; }

    /** The bound UDP address. */
    public InetSocketAddress localAddress() { return (InetSocketAddress) channel.localAddress(); }

    public int port() { return localAddress().getPort(); }

    /** The bound ICE-TCP port, or -1 when this worker does not listen for ICE-TCP. */
    public int tcpPort() {
        Channel server = tcpServer;
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** True on the native epoll transport, false on NIO. */
    public boolean usesEpoll() { return epoll; }

    /** The host candidates every transport on this worker advertises. */
    public List<Candidate> candidates() { return candidates; }

    WorkerSettings settings() { return settings; }

    EventLoop eventLoop() { return loop; }

    public boolean inEventLoop() { return loop.inEventLoop(); }

    public void execute(Runnable task) { loop.execute(task); }

    /**
     * Worker thread: runs {@code task} as one write batch, like a socket read batch: what it sends is flushed once at
     * its end instead of by a flush task scheduled after the first write.
     */
    public void runBatch(Runnable task) {
        if (out.inBatch()) {
            task.run();
            return;
        }
        out.beginRead();
        try {
            task.run();
        } finally {
            out.endRead();
        }
    }

    <T> Future<T> submit(Callable<T> task) { return loop.submit(task); }

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

    /** A copy of this worker's forward-delay histogram ({@link ForwardDelays}), taken on the worker thread. */
    public ForwardDelays.Snapshot forwardDelays() {
        return call(forwardDelays::snapshot);
    }

    /** Number of open transports. */
    int transportCount() {
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
            IceParameters local = transports.uniqueLocalIce();
            PeerTransport transport = new PeerTransport(this, "w" + index + "-t" + transports.nextId(), parameters,
                    local, listener, settings.nanoClock().getAsLong());
            transports.add(transport, local.ufrag());
            return transport;
        });
    }

    /**
     * Creates a transport on which we are the controlling ICE agent and (per {@code parameters}) normally the DTLS
     * client: our node pulling a channel from another node over WHEP. {@code localIce} is what our offer said; the
     * transport checks {@code candidates} (the answer's) until one answers, and closes when the selected one stops
     * answering for {@code consentTimeout}. Callable from any thread except another worker's.
     *
     * @throws IllegalStateException when the worker is closed or another transport has that ufrag
     */
    public PeerTransport createControllingTransport(TransportParameters parameters, IceParameters localIce,
                                                    List<InetSocketAddress> candidates, java.time.Duration consentTimeout,
                                                    TransportListener listener) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(listener, "listener");
        if (candidates.isEmpty()) throw new IllegalArgumentException("no candidate to check");
        return call(() -> {
            if (closed) throw new IllegalStateException("media worker " + index + " is closed");
            if (transports.byUfrag(localIce.ufrag()) != null) throw new IllegalStateException("ufrag in use: " + localIce.ufrag());
            PeerTransport transport = new PeerTransport(this, "w" + index + "-r" + transports.nextId(), parameters,
                    localIce, listener, settings.nanoClock().getAsLong());
            transports.add(transport, localIce.ufrag());
            transport.startChecks(candidates, consentTimeout.toNanos());
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
                transports.closeAll(CloseReason.ENGINE_CLOSED, "engine closed");
                out.flushNow();
                return null;
            });
        } catch (IllegalStateException e) {
            LOG.debug("media worker {} already stopped", index);
        }
        channel.close().awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Channel server = tcpServer;
        if (server != null) server.close().awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    // ---- worker-thread internals ----

    Channel channel() { return channel; }

    long now() { return settings.nanoClock().getAsLong(); }

    /** Closes transports whose consent lapsed or whose setup took too long. Runs periodically on the worker. */
    void sweepConsent() {
        transports.sweep(now(), consentTimeoutNanos, setupTimeoutNanos);
    }

    private void startSweep() {
        // A quarter of the shorter timeout keeps expiry within 25% of the configured value, never busier than 20 Hz;
        // at least twice a second, so a session that never connects is gone within half a second of its timeout.
        long shorter = Math.min(settings.consentTimeout().toMillis(), settings.setupTimeout().toMillis());
        long period = Math.max(50, Math.min(500, shorter / 4));
        sweep = loop.scheduleAtFixedRate(this::sweepConsent, period, period, TimeUnit.MILLISECONDS);
    }
}
