package live.cascade.sfu.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import live.cascade.sfu.dtls.DtlsCertificate;
import live.cascade.sfu.dtls.DtlsSettings;
import live.cascade.sfu.dtls.DtlsWarmUp;
import live.cascade.sfu.dtls.HandshakeSlots;
import live.cascade.sfu.net.ForwardDelays;
import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.net.PeerTransport;
import live.cascade.sfu.transport.TransportListener;
import live.cascade.sfu.net.WorkerSettings;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.TransportParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane's front door: N {@link MediaWorker}s (one event-loop thread and one UDP port each), one DTLS
 * certificate, and transport creation. A channel's router and all of its transports belong on the worker
 * {@link #workerFor} picks for the channel, so they share a thread and need no locks. A channel is placed on the
 * worker carrying the fewest channels when it first asks, and stays there until {@link #release}d (its broadcast
 * ended): placing by a hash of the id put four live channels on one worker of two, the other idle. Control code (signaling) sees
 * each worker as a {@link MediaLane} ({@link #lane}); the workers themselves are for tests, metrics and tools.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);

    private final MediaEngineConfig config;
    private final DtlsCertificate certificate;
    private final List<MediaWorker> workers;
    private final List<MediaLane> lanes;
    private final List<InetAddress> advertised;
    private final CompletableFuture<Integer> dtlsWarmUp;
    private final HandshakeSlots handshakeSlots;
    /** Channel key → index of the worker it is placed on. */
    private final ConcurrentHashMap<String, Integer> placements = new ConcurrentHashMap<>();
    /** Channels placed per worker, for the next placement. */
    private final AtomicIntegerArray placedPerWorker;
    /** Viewers placed per worker ({@link #placeViewer}), for spreading one channel's viewers. */
    private final AtomicIntegerArray viewersPerWorker;

    private MediaEngine(MediaEngineConfig config, DtlsCertificate certificate, List<MediaWorker> workers,
                        List<InetAddress> advertised, HandshakeSlots handshakeSlots, CompletableFuture<Integer> dtlsWarmUp) {
        this.dtlsWarmUp = dtlsWarmUp;
        this.handshakeSlots = handshakeSlots;
        this.config = config;
        this.certificate = certificate;
        this.workers = List.copyOf(workers);
        this.lanes = workers.stream().map(MediaLane::new).toList();
        this.advertised = advertised;
        this.placedPerWorker = new AtomicIntegerArray(workers.size());
        this.viewersPerWorker = new AtomicIntegerArray(workers.size());
    }

    /**
     * Generates the certificate and binds every worker.
     *
     * @throws java.io.UncheckedIOException when a port cannot be bound (workers already started are stopped)
     */
    public static MediaEngine start(MediaEngineConfig config) {
        Objects.requireNonNull(config, "config");
        DtlsCertificate certificate = DtlsCertificate.generate();
        // One bound for the node's handshakes, whichever worker their transports are on (docs/threading.md).
        HandshakeSlots handshakes = HandshakeSlots.forProcessors(Runtime.getRuntime().availableProcessors());
        WorkerSettings settings = new WorkerSettings(
                new DtlsSettings(certificate, config.srtpProfiles(), config.dtlsHandshakeTimeout(), handshakes),
                config.consentTimeout(), config.requireUseCandidate(), System::nanoTime, config.sessionSetupTimeout());
        List<InetAddress> advertised = advertisedAddresses(config);
        if (advertised.isEmpty()) LOG.warn("no usable address to advertise as an ICE candidate");
        List<MediaWorker> workers = new ArrayList<>(config.workerCount());
        try {
            for (int i = 0; i < config.workerCount(); i++) {
                int port = config.basePort() == 0 ? 0 : config.basePort() + i;
                InetSocketAddress tcp = !config.iceTcp() ? null : new InetSocketAddress(config.bindAddress(),
                        config.iceTcpBasePort() == 0 ? 0 : config.iceTcpBasePort() + i);
                workers.add(MediaWorker.bind(i, new InetSocketAddress(config.bindAddress(), port), tcp, advertised,
                        settings, config.preferEpoll()));
            }
        } catch (RuntimeException e) {
            workers.forEach(MediaWorker::close);
            throw e;
        }
        LOG.info("media engine: {} workers, advertising {}, certificate {}, {} DTLS handshake slot(s)", workers.size(),
                advertised, certificate.fingerprint().value(), handshakes.slots());
        return new MediaEngine(config, certificate, workers, advertised, handshakes,
                DtlsWarmUp.startInBackground(settings.dtls()));
    }

    public MediaEngineConfig config() { return config; }

    /** The start-up DTLS warm-up ({@link DtlsWarmUp}): completes with the number of handshakes that succeeded. */
    public CompletableFuture<Integer> dtlsWarmUp() { return dtlsWarmUp; }

    /** The bound on DTLS handshakes computing at once, and the queue of those waiting for it (for {@code /metrics}). */
    public HandshakeSlots handshakeSlots() { return handshakeSlots; }

    /** Our certificate's sha-256 fingerprint for {@code a=fingerprint} in every answer. */
    public DtlsFingerprint certificateFingerprint() { return certificate.fingerprint(); }

    /** The addresses the workers advertise as host candidates. */
    public List<InetAddress> advertisedAddresses() { return advertised; }

    public List<MediaWorker> workers() { return workers; }

    /** The workers' bound ICE-TCP ports, in worker order; empty when ICE-TCP is off. */
    public List<Integer> iceTcpPorts() {
        return workers.stream().map(MediaWorker::tcpPort).filter(p -> p > 0).toList();
    }

    public MediaWorker worker(int index) { return workers.get(index); }

    /**
     * The worker for a channel: on first use the one with the fewest channels placed (the lowest index on a tie), then
     * the same one until {@link #release}.
     */
    public MediaWorker workerFor(String channelKey) {
        return workers.get(placements.computeIfAbsent(channelKey, k -> {
            int best = 0;
            for (int i = 1; i < workers.size(); i++) if (placedPerWorker.get(i) < placedPerWorker.get(best)) best = i;
            placedPerWorker.incrementAndGet(best);
            return best;
        }));
    }

    /**
     * The lane a channel's work runs on: its router and every transport of its sessions (the same worker as
     * {@link #workerFor}, and as stable).
     */
    public MediaLane lane(String channelKey) {
        return lanes.get(workerFor(channelKey).index());
    }

    /** The channel no longer runs here (its broadcast ended): its next broadcast is placed afresh. Idempotent. */
    public void release(String channelKey) {
        Integer worker = placements.remove(channelKey);
        if (worker != null) placedPerWorker.decrementAndGet(worker);
    }

    /**
     * The lane a new viewer whose channel spreads over workers joins on: the one carrying the fewest placed viewers
     * (the lowest index on a tie). Counted until {@link #releaseViewer}. Two joins racing may both pick the same
     * lane; the count stays exact and the next join evens it out.
     */
    public MediaLane placeViewer() {
        int best = 0;
        for (int i = 1; i < workers.size(); i++) if (viewersPerWorker.get(i) < viewersPerWorker.get(best)) best = i;
        viewersPerWorker.incrementAndGet(best);
        return lanes.get(best);
    }

    /**
     * Counts a viewer that joins on {@code lane} without a choice (its channel does not spread), so placement sees
     * every viewer a worker carries. Released like a placed one.
     */
    public MediaLane countViewer(MediaLane lane) {
        viewersPerWorker.incrementAndGet(lane.index());
        return lane;
    }

    /** A viewer {@link #placeViewer placed} or {@link #countViewer counted} on {@code lane} has gone. Once each. */
    public void releaseViewer(MediaLane lane) { viewersPerWorker.decrementAndGet(lane.index()); }

    /** Viewers placed on each worker now, by worker index. */
    public int[] placedViewers() {
        int[] out = new int[workers.size()];
        for (int i = 0; i < out.length; i++) out[i] = viewersPerWorker.get(i);
        return out;
    }

    /** Every lane, in worker order. */
    public List<MediaLane> lanes() { return lanes; }

    /** Channels placed on each worker now, by worker index. */
    public int[] placedChannels() {
        int[] out = new int[workers.size()];
        for (int i = 0; i < out.length; i++) out[i] = placedPerWorker.get(i);
        return out;
    }

    /**
     * Creates a transport on {@code worker}; its {@link PeerTransport#localIce()} and
     * {@link PeerTransport#localCandidates()} go into the SDP answer. The listener hears its life-cycle events on the
     * worker thread. Call from any thread but another worker's.
     */
    public PeerTransport createTransport(TransportParameters parameters, MediaWorker worker, TransportListener listener) {
        if (!workers.contains(worker)) throw new IllegalArgumentException("not a worker of this engine: " + worker);
        return worker.createTransport(parameters, listener);
    }

    /** As {@link #createTransport(TransportParameters, MediaWorker, TransportListener)} for worker {@code index}. */
    public PeerTransport createTransport(TransportParameters parameters, int workerIndex, TransportListener listener) {
        return createTransport(parameters, worker(workerIndex), listener);
    }

    /** All workers' counters summed (each worker's snapshot taken on its own thread). */
    public Map<String, Long> counters() {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (MediaWorker worker : workers) {
            worker.counters().forEach((name, value) -> sum.merge(name, value, Long::sum));
        }
        return sum;
    }

    /** Every worker's forward-delay histogram summed (see {@code ForwardDelays}; each copy taken on its worker). */
    public ForwardDelayHistogram forwardDelays() {
        ForwardDelays.Snapshot sum = ForwardDelays.Snapshot.EMPTY;
        for (MediaWorker worker : workers) sum = sum.plus(worker.forwardDelays());
        return new ForwardDelayHistogram(ForwardDelays.Snapshot.upperBoundsSeconds(), sum.counts(), sum.sumNanos() / 1e9);
    }

    /** Closes every transport (listeners hear {@code ENGINE_CLOSED}), then the sockets and threads. */
    @Override
    public void close() {
        for (MediaWorker worker : workers) worker.close();
    }

    private static List<InetAddress> advertisedAddresses(MediaEngineConfig config) {
        if (!config.advertisedAddresses().isEmpty()) return config.advertisedAddresses();
        return HostAddresses.select(HostAddresses.systemInterfaces(), null, List.of(), config.bindAddress());
    }
}
