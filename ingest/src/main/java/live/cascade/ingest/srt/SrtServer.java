package live.cascade.ingest.srt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublishers;
import live.cascade.ingest.ts.TsDemuxer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRT listener (issue 23): one UDP port shared by all publishers. libsrt calls {@link #onCaller} during each
 * caller's handshake with its streamid; the stream key in it is checked by the same {@link IngestGate} as RTMP and
 * WHIP, and a wrong key is rejected there, before the connection exists (the caller sees a rejection code such as
 * 1401). Accepted callers each get an {@link SrtConnection} thread.
 *
 * <p>libsrt takes the caller's clock (the base of every packet's delivery time) after the listen callback returns, so
 * whatever time the callback spends is added to the delay of every packet of that publish for as long as it lasts:
 * measured on loopback, a 150 ms stream-key check made the publish 163 ms later for good (issue 23). The check (the
 * database, the operator's admission hook) therefore runs on a thread of its own and the handshake waits for it at
 * most {@link #HANDSHAKE_CHECK_MS}: answered by then, a refusal is a handshake rejection as before; not answered,
 * the caller is accepted and its connection waits for the answer before it publishes anything, closing when the
 * answer is a refusal (counted and logged the same; the caller then sees its connection closed instead of a code,
 * and a key that names no channel is remembered for 30 s, so trying it again gets the rejection code at once).
 */
public final class SrtServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtServer.class);
    private static final int BACKLOG = 16;
    /** How long a connection's read waits before it looks at its task queue again. */
    static final int READ_TIMEOUT_MS = 250;
    /** The most a stream-key check may add to a publish's delay (see the class comment). */
    static final int HANDSHAKE_CHECK_MS = 20;

    private final LibSrt srt;
    private final int listener;
    private final int port;
    private final IngestGate gate;
    private final StreamPublishers publishers;
    private final SrtCounters counters;
    /** Callers let in, by their new socket, with their check's answer (maybe still to come), until srt_accept hands them over. */
    private final ConcurrentHashMap<Integer, CompletableFuture<IngestGate.Admission>> admitted = new ConcurrentHashMap<>();
    /**
     * Keys found to name no channel, for a while: an encoder trying a wrong key again (OBS reconnects by itself) is
     * then rejected in the handshake with its code even when the first check took longer than the handshake waits.
     * Only unknown keys: other refusals (quota, a full node, a suspension) can end at any moment.
     */
    private final ConcurrentHashMap<String, UnknownKey> unknownKeys = new ConcurrentHashMap<>();
    private static final long UNKNOWN_KEY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record UnknownKey(IngestGate.Refused refusal, long until) {}

    /** Stream-key checks, off libsrt's handshake thread; they may block on the database. */
    private final ExecutorService checks =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("srt-key-check-", 0).factory());
    private final Set<SrtConnection> connections = ConcurrentHashMap.newKeySet();
    /** Held so the native callback's thunk stays alive as long as the listener. */
    private final LibSrt.ListenCallback callback = this::onCaller;
    private final Thread acceptor;
    private volatile boolean closed;

    private SrtServer(LibSrt srt, int listener, int port, IngestGate gate, StreamPublishers publishers, SrtCounters counters) {
        this.srt = srt;
        this.listener = listener;
        this.port = port;
        this.gate = gate;
        this.publishers = publishers;
        this.counters = counters;
        this.acceptor = Thread.ofPlatform().daemon().name("srt-accept-" + port).unstarted(this::acceptLoop);
    }

    /**
     * Binds {@code host:port} (0 for any free port) in SRT live mode.
     *
     * @param latencyMs  the receiver's latency window (SRTO_RCVLATENCY): room for retransmissions on lossy links
     * @param passphrase when not empty, callers must encrypt with it (AES; 10 to 79 characters)
     * @throws IllegalStateException when libsrt is missing or the port cannot be bound
     */
    public static SrtServer start(String host, int port, int latencyMs, String passphrase, IngestGate gate,
                                  StreamPublishers publishers, SrtCounters counters) {
        LibSrt srt;
        try {
            srt = LibSrt.get();
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("SRT ingest needs libsrt: " + e.getMessage(), e);
        }
        TsDemuxer.load();
        int s = srt.srt_create_socket();
        if (s < 0) throw new IllegalStateException("srt_create_socket: " + srt.srt_getlasterror_str());
        try {
            LibSrt.setInt(srt, s, LibSrt.SRTO_RCVLATENCY, latencyMs);
            if (passphrase != null && !passphrase.isEmpty()) {
                byte[] p = passphrase.getBytes(StandardCharsets.UTF_8);
                Memory m = new Memory(p.length);
                m.write(0, p, 0, p.length);
                if (srt.srt_setsockflag(s, LibSrt.SRTO_PASSPHRASE, m, p.length) < 0) {
                    throw new IllegalStateException("the SRT passphrase was refused (10 to 79 characters): " + srt.srt_getlasterror_str());
                }
            }
            Memory addr = LibSrt.sockaddr(new InetSocketAddress(host, port));
            if (srt.srt_bind(s, addr, (int) addr.size()) < 0 || srt.srt_listen(s, BACKLOG) < 0) {
                throw new IllegalStateException("cannot listen for SRT on UDP " + host + ":" + port + ": " + srt.srt_getlasterror_str());
            }
            Memory bound = new Memory(28);
            IntByReference len = new IntByReference(28);
            srt.srt_getsockname(s, bound, len);
            SrtServer server = new SrtServer(srt, s, LibSrt.port(bound), gate, publishers, counters);
            if (srt.srt_listen_callback(s, server.callback, null) < 0) {
                throw new IllegalStateException("srt_listen_callback: " + srt.srt_getlasterror_str());
            }
            server.acceptor.start();
            LOG.info("SRT ingest on UDP {}:{} (latency {} ms{})", host, server.port, latencyMs,
                    passphrase == null || passphrase.isEmpty() ? "" : ", encrypted");
            return server;
        } catch (RuntimeException e) {
            srt.srt_close(s);
            throw e;
        }
    }

    public int port() { return port; }

    public SrtCounters counters() { return counters; }

    /** True until closed (libsrt gives no way to see a listener fail later; it lives in its own threads). */
    public boolean listening() { return !closed && acceptor.isAlive(); }

    /** libsrt's handshake thread: 0 to accept the caller, -1 to reject. Must never throw into native code. */
    private int onCaller(Pointer opaque, int ns, int hsVersion, Pointer peer, String streamId) {
        try {
            StreamId id = StreamId.parse(streamId);
            if (!id.publish()) {
                counters.badRequests.increment();
                srt.srt_setrejectreason(ns, LibSrt.SRT_REJX_BAD_MODE);
                return -1;
            }
            String key = id.key();
            UnknownKey known = unknownKeys.get(key);
            CompletableFuture<IngestGate.Admission> check = known != null && known.until() > System.nanoTime()
                    ? CompletableFuture.completedFuture(known.refusal())
                    : CompletableFuture.supplyAsync(() -> admit(key), checks);
            IngestGate.Admission admission;
            try {
                admission = check.get(HANDSHAKE_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Still checking: let the caller in now and decide on its connection (see the class comment).
                admission = null;
            }
            if (admitted.size() > 1000) admitted.clear(); // handshakes that never completed: do not grow
            switch (admission) {
                case null -> {
                    admitted.put(ns, check);
                    return 0;
                }
                case IngestGate.Admitted a -> {
                    admitted.put(ns, check);
                    return 0;
                }
                case IngestGate.Refused r -> {
                    counters.countRefused(r.reason());
                    srt.srt_setrejectreason(ns, rejectCode(r.reason()));
                    LOG.info("SRT publish refused: {} ({})", r.reason(), r.detail());
                    return -1;
                }
            }
        } catch (Throwable t) {
            LOG.warn("SRT listen callback failed", t);
            return -1;
        }
    }

    private IngestGate.Admission admit(String key) {
        IngestGate.Admission a;
        try {
            a = gate.admit(key);
        } catch (RuntimeException e) {
            LOG.warn("SRT publish: the stream key could not be checked", e);
            return new IngestGate.Refused(IngestGate.Reason.NODE_FULL, "The server could not check the stream key.");
        }
        if (a instanceof IngestGate.Refused r && r.reason() == IngestGate.Reason.UNKNOWN_KEY) {
            if (unknownKeys.size() > 1000) unknownKeys.clear();
            unknownKeys.put(key, new UnknownKey(r, System.nanoTime() + UNKNOWN_KEY_NANOS));
        }
        return a;
    }

    /** The caller sees these (FFmpeg: "Connection rejected"; OBS logs the number). */
    static int rejectCode(IngestGate.Reason reason) {
        return switch (reason) {
            case UNKNOWN_KEY -> LibSrt.SRT_REJX_UNAUTHORIZED;
            case SUSPENDED, NOT_ALLOWED -> LibSrt.SRT_REJX_FORBIDDEN;
            case QUOTA -> LibSrt.SRT_REJX_OVERLOAD;
            case NODE_FULL -> LibSrt.SRT_REJX_DOWN;
        };
    }

    private void acceptLoop() {
        Memory peer = new Memory(28);
        IntByReference len = new IntByReference();
        while (!closed) {
            len.setValue(28);
            int ns = srt.srt_accept(listener, peer, len);
            if (ns < 0) {
                if (closed) return;
                LOG.warn("srt_accept: {}", srt.srt_getlasterror_str());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            CompletableFuture<IngestGate.Admission> decision = admitted.remove(ns);
            if (decision == null) {
                srt.srt_close(ns);
                continue;
            }
            counters.connections.increment();
            try {
                LibSrt.setInt(srt, ns, LibSrt.SRTO_RCVTIMEO, READ_TIMEOUT_MS);
            } catch (IllegalStateException e) {
                srt.srt_close(ns);
                continue;
            }
            SrtConnection c = new SrtConnection(srt, ns, decision, publishers, counters);
            connections.add(c);
            Thread.ofPlatform().daemon().name("srt-" + ns).start(() -> {
                try {
                    c.run();
                } finally {
                    connections.remove(c);
                }
            });
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        srt.srt_close(listener);
        for (SrtConnection c : connections) c.stop();
        checks.shutdown();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
