package live.cascade.api.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The nodes of the deployment that are alive: each announces itself every {@link #HEARTBEAT} with its load, and one
 * not heard from for {@link #GONE_AFTER} is gone. A seam with an in-process form ({@link LocalNodeRegistry}: this node
 * alone) and a Redis form ({@code redis.RedisNodeRegistry}), chosen by {@code --redis-url}.
 *
 * <p>Reads never block on a remote outage for long: while Redis is away the Redis form answers with this node alone,
 * so a node keeps serving what it holds.
 */
public interface NodeRegistry extends AutoCloseable {
    Duration HEARTBEAT = Duration.ofSeconds(2);
    Duration GONE_AFTER = Duration.ofSeconds(6);

    /** Records this node as alive with what it carries now; called every {@link #HEARTBEAT}. */
    void announce(NodeInfo self);

    /** This node left the deployment (it stopped): others stop choosing it at once rather than after {@link #GONE_AFTER}. */
    void leave(String nodeId);

    /** Every node heard from in the last {@link #GONE_AFTER}, in no particular order. */
    List<NodeInfo> alive();

    default Optional<NodeInfo> node(String nodeId) {
        return alive().stream().filter(n -> n.id().equals(nodeId)).findFirst();
    }

    @Override
    void close();
}
