package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeLoad;
import live.cascade.api.cluster.NodeRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This node in the registry: announced every {@link NodeRegistry#HEARTBEAT} with its current load once it listens,
 * removed when it stops. Holds the node's draining flag, which the heartbeat carries to the others.
 */
public final class FleetNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetNode.class);
    private final String id;
    private final String mediaIp;
    private final NodeRegistry registry;
    private final Supplier<NodeLoad> load;
    private volatile Supplier<Map<Long, Integer>> relayed = Map::of;
    private volatile Runnable afterBeat = () -> { };
    private volatile Map<Long, Integer> lastRelayed = Map.of();
    private final ScheduledExecutorService heartbeat;
    private volatile String httpUrl = "";
    private volatile NodeLoad lastLoad = NodeLoad.IDLE;
    private volatile boolean draining;
    private volatile boolean started;

    public FleetNode(String id, String mediaIp, NodeRegistry registry, Supplier<NodeLoad> load) {
        this.id = Objects.requireNonNull(id, "id");
        this.mediaIp = mediaIp;
        this.registry = registry;
        this.load = load;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-heartbeat").factory());
    }

    /**
     * Each heartbeat also carries {@code relayed} (this node's viewers of the channels it relays) and then runs
     * {@code afterBeat} (the origin's sum of its edges' viewers). Set before {@link #start}.
     */
    public void withRelays(Supplier<Map<Long, Integer>> relayed, Runnable afterBeat) {
        this.relayed = relayed;
        this.afterBeat = afterBeat;
    }

    /** Starts announcing this node at {@code url} (its HTTP base as others reach it). */
    public void start(String url) {
        httpUrl = url;
        started = true;
        heartbeat.scheduleWithFixedDelay(this::beat, 0, NodeRegistry.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("node {} announces itself as {} every {} s", id, url, NodeRegistry.HEARTBEAT.toSeconds());
    }

    private void beat() {
        try {
            lastLoad = load.get();
            lastRelayed = relayed.get();
            registry.announce(self());
            afterBeat.run();
        } catch (RuntimeException e) {
            LOG.warn("node heartbeat failed: {}", e.toString());
        }
    }

    /** Announces this node now, on the caller's thread (a claim is about to name it); nothing before {@link #start}. */
    public void announceNow() {
        if (started) registry.announce(self());
    }

    public String id() {
        return id;
    }

    public String httpUrl() {
        return httpUrl;
    }

    /** This node as the registry sees it, with the load of the last heartbeat. */
    public NodeInfo self() {
        return new NodeInfo(id, httpUrl, mediaIp, lastLoad, draining, lastRelayed);
    }

    public boolean draining() {
        return draining;
    }

    /** Stops taking new sessions; told to the others at once rather than at the next heartbeat. */
    public void drain() {
        draining = true;
        if (started) heartbeat.execute(this::beat);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (started) registry.leave(id);
    }
}
