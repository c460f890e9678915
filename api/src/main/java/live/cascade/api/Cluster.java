package live.cascade.api;

import live.cascade.api.chat.ChatBus;
import live.cascade.api.chat.LocalChatBus;
import live.cascade.api.chat.LocalPresence;
import live.cascade.api.chat.Presence;
import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.DbFencingCounter;
import live.cascade.api.cluster.HolderLiveness;
import live.cascade.api.cluster.LocalChannelPlacement;
import live.cascade.api.cluster.LocalNodeCommands;
import live.cascade.api.cluster.LocalNodeRegistry;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.api.redis.RedisChannelPlacement;
import live.cascade.api.redis.RedisChatBus;
import live.cascade.api.redis.RedisNodeRegistry;
import live.cascade.api.redis.RedisConnection;
import live.cascade.api.redis.RedisNodeCommands;
import live.cascade.api.redis.RedisPresence;
import live.cascade.api.redis.RedisRateLimiter;
import live.cascade.db.Database;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seams that have a single-node and a multi-node form (ARCHITECTURE §2), chosen once from {@code --redis-url}:
 * in process when it is empty, through Redis when it is set. Also the {@code redis} component of {@code /readyz}.
 * It sits in the composition root because it picks between the {@code Local…} and {@code Redis…} implementations:
 * the seams' own packages ({@code chat}, {@code cluster}, {@code ratelimit}) know neither.
 */
final class Cluster implements AutoCloseable {
    private final String nodeId;
    private final ChatBus bus;
    private final RateLimiter rateLimiter;
    private final Presence presence;
    private final ReadinessComponent redisReadiness;
    private final RedisConnection redis;
    private final NodeCommands commands;
    private final NodeRegistry registry;
    private final ChannelPlacement placement;
    private final HolderLiveness liveness;

    private Cluster(String nodeId, ChatBus bus, RateLimiter rateLimiter, Presence presence, ReadinessComponent redisReadiness,
                    RedisConnection redis, NodeCommands commands, NodeRegistry registry, ChannelPlacement placement) {
        this.registry = registry;
        this.placement = placement;
        this.liveness = HolderLiveness.of(registry, HolderLiveness.PROBE_TIMEOUT);
        this.commands = commands;
        this.nodeId = nodeId;
        this.bus = bus;
        this.rateLimiter = rateLimiter;
        this.presence = presence;
        this.redisReadiness = redisReadiness;
        this.redis = redis;
    }

    /**
     * The id of this process on the bus, presence and command channel: the node's id and a random suffix, so a
     * restarted node is a new sender to the others (its predecessor's presence entries expire on their own).
     */
    private static String instanceId(String nodeId) {
        return nodeId + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 6);
    }

    /** {@code nodeId}: the node's id in the registry and placement ({@code --node-id} or derived). */
    static Cluster local(String nodeId, RateLimiter localLimiter, Database db, Clock clock) {
        LocalNodeRegistry registry = new LocalNodeRegistry(clock);
        return new Cluster(nodeId, new LocalChatBus(), localLimiter, new LocalPresence(), null, null,
                new LocalNodeCommands(), registry, new LocalChannelPlacement(clock, new DbFencingCounter(db), ChannelPlacement.TTL,
                HolderLiveness.of(registry, HolderLiveness.PROBE_TIMEOUT)));
    }

    /** Never fails for Redis being down: the connection is made lazily and retried. */
    static Cluster redis(String url, String namespace, String nodeId, RateLimiter localLimiter, Database db, Clock clock) {
        String instance = instanceId(nodeId);
        RedisConnection redis = RedisConnection.open(url, namespace, "cascade-" + instance);
        RedisNodeRegistry registry = new RedisNodeRegistry(redis);
        return new Cluster(nodeId, new RedisChatBus(redis, instance), new RedisRateLimiter(redis, localLimiter),
                new RedisPresence(redis, instance, clock), redis, redis, new RedisNodeCommands(redis, instance), registry,
                new RedisChannelPlacement(redis, new DbFencingCounter(db), ChannelPlacement.TTL,
                        HolderLiveness.of(registry, HolderLiveness.PROBE_TIMEOUT)));
    }

    /** The node id when {@code --node-id} is not set: host name and ports, so it is stable across restarts and unique per host. */
    static String derivedNodeId(int httpPort, int mediaPort) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        if (host.length() > 40) host = host.substring(0, 40);
        return host + "-" + httpPort + "-" + mediaPort;
    }

    public String nodeId() {
        return nodeId;
    }

    public ChatBus bus() {
        return bus;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The command channel to every node (revocations now; the cascading work reuses it). */
    public NodeCommands commands() {
        return commands;
    }

    /** The nodes alive in the deployment (this one alone without Redis). */
    public NodeRegistry registry() {
        return registry;
    }

    /** Which node is each live channel's origin. */
    public ChannelPlacement placement() {
        return placement;
    }

    /** Whether a claim's holder has left the deployment (placement's takeover rule; WHIP asks it before a publish). */
    public HolderLiveness liveness() {
        return liveness;
    }

    public Presence presence() {
        return presence;
    }

    /** The {@code redis} component of {@code /readyz}; none when Redis is not configured. */
    public Optional<ReadinessComponent> readiness() {
        return Optional.ofNullable(redisReadiness);
    }

    /** Closes the command channel, the bus and the Redis connection; presence is closed by the chat hub that uses it. */
    @Override
    public void close() {
        commands.close();
        registry.close();
        placement.close();
        bus.close();
        if (redis != null) redis.close();
    }
}
