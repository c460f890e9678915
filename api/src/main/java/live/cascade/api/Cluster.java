package live.cascade.api;

import live.cascade.api.chat.ChatBus;
import live.cascade.api.chat.LocalChatBus;
import live.cascade.api.chat.LocalPresence;
import live.cascade.api.chat.Presence;
import live.cascade.api.cluster.LocalNodeCommands;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.api.redis.RedisChatBus;
import live.cascade.api.redis.RedisConnection;
import live.cascade.api.redis.RedisNodeCommands;
import live.cascade.api.redis.RedisPresence;
import live.cascade.api.redis.RedisRateLimiter;

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

    private Cluster(String nodeId, ChatBus bus, RateLimiter rateLimiter, Presence presence, ReadinessComponent redisReadiness,
                    RedisConnection redis, NodeCommands commands) {
        this.commands = commands;
        this.nodeId = nodeId;
        this.bus = bus;
        this.rateLimiter = rateLimiter;
        this.presence = presence;
        this.redisReadiness = redisReadiness;
        this.redis = redis;
    }

    /** A random id per process: a restarted node is a new node to the others. */
    public static String newNodeId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
    }

    static Cluster local(RateLimiter localLimiter) {
        return new Cluster(newNodeId(), new LocalChatBus(), localLimiter, new LocalPresence(), null, null,
                new LocalNodeCommands());
    }

    /** Never fails for Redis being down: the connection is made lazily and retried. */
    static Cluster redis(String url, String namespace, RateLimiter localLimiter, Clock clock) {
        String nodeId = newNodeId();
        RedisConnection redis = RedisConnection.open(url, namespace, "cascade-" + nodeId);
        return new Cluster(nodeId, new RedisChatBus(redis, nodeId), new RedisRateLimiter(redis, localLimiter),
                new RedisPresence(redis, nodeId, clock), redis, redis,
                new RedisNodeCommands(redis, nodeId));
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
        bus.close();
        if (redis != null) redis.close();
    }
}
