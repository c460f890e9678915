package live.cascade.api.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.api.http.Json;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The registry in Redis: one key per node, {@code <namespace>:node:<id>}, holding its {@link NodeInfo} as JSON with a
 * time to live of {@link #GONE_AFTER}, rewritten at every heartbeat. Redis expires a silent node's key, so "gone after
 * 6 s" needs no clock agreement between nodes. Listing scans the {@code node:*} keys and reads them in one call (a
 * fleet is tens of nodes, not thousands). While Redis is down the list is this node alone.
 */
public final class RedisNodeRegistry implements NodeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeRegistry.class);
    private final RedisConnection redis;
    private volatile NodeInfo self;
    private volatile boolean failing;

    public RedisNodeRegistry(RedisConnection redis) {
        this.redis = redis;
    }

    private String key(String nodeId) {
        return redis.key("node:" + nodeId);
    }

    @Override
    public void announce(NodeInfo node) {
        self = node;
        if (!redis.isUp()) return;
        try {
            redis.client().getBucket(key(node.id()), StringCodec.INSTANCE)
                    .set(Json.MAPPER.writeValueAsString(node), GONE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            if (failing) LOG.info("node registry: announcing again");
            failing = false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write node " + node.id(), e);
        } catch (RuntimeException e) {
            if (!failing) LOG.warn("node registry: announcing {} failed: {}", node.id(), e.toString());
            failing = true;
        }
    }

    @Override
    public void leave(String nodeId) {
        if (!redis.isUp()) return;
        try {
            redis.client().getBucket(key(nodeId), StringCodec.INSTANCE).delete();
        } catch (RuntimeException e) {
            LOG.warn("node registry: removing {} failed: {}", nodeId, e.toString());
        }
    }

    @Override
    public List<NodeInfo> alive() {
        NodeInfo me = self;
        List<NodeInfo> alone = me == null ? List.of() : List.of(me);
        if (!redis.isUp()) return alone;
        try {
            List<String> keys = new ArrayList<>();
            redis.client().getKeys().getKeys(KeysScanOptions.defaults().pattern(redis.key("node:*")).chunkSize(100)).forEach(keys::add);
            if (keys.isEmpty()) return alone;
            Map<String, Object> values = redis.client().getBuckets(StringCodec.INSTANCE).get(keys.toArray(String[]::new));
            List<NodeInfo> nodes = new ArrayList<>();
            for (Object v : values.values()) {
                try {
                    nodes.add(Json.MAPPER.readValue(v.toString(), NodeInfo.class));
                } catch (JsonProcessingException e) {
                    LOG.debug("node registry: skipping an unreadable entry: {}", e.getOriginalMessage());
                }
            }
            return nodes;
        } catch (RuntimeException e) {
            LOG.debug("node registry: listing failed: {}", e.toString());
            return alone;
        }
    }

    @Override
    public void close() {
        NodeInfo me = self;
        if (me != null) leave(me.id());
    }
}
