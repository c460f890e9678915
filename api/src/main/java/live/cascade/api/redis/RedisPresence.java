package live.cascade.api.redis;

import live.cascade.api.chat.Presence;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RMapAsync;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence over nodes: per channel a hash {@code <namespace>:chat:presence:<channel>} of node id to
 * {@code count:expiresAtMillis}. Each tick a node writes its own counts and reads the channels it has sockets in,
 * summing the entries that have not expired, so a node that died drops out of the count within {@link #ENTRY_TTL}.
 * One round trip per tick for all channels (a batch). If Redis is down the node counts only its own sockets.
 */
public final class RedisPresence implements Presence {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
    static final Duration ENTRY_TTL = Duration.ofSeconds(10);
    static final Duration KEY_TTL = Duration.ofMinutes(1);

    private final RedisConnection redis;
    private final String nodeId;
    private final Clock clock;
    private Set<Long> published = new HashSet<>();
    private boolean failing;

    public RedisPresence(RedisConnection redis, String nodeId, Clock clock) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    private String key(long channelId) {
        return redis.key("chat:presence:" + channelId);
    }

    @Override
    public Map<Long, Integer> exchange(Map<Long, Integer> local) {
        if (!redis.isUp()) return local;
        long now = clock.millis();
        String entry = ":" + (now + ENTRY_TTL.toMillis());
        try {
            RBatch batch = redis.client().createBatch();
            List<Long> order = new ArrayList<>();
            for (Map.Entry<Long, Integer> e : local.entrySet()) {
                RMapAsync<String, String> map = batch.getMap(key(e.getKey()), StringCodec.INSTANCE);
                map.fastPutAsync(nodeId, e.getValue() + entry);
                map.expireAsync(KEY_TTL);
                map.readAllMapAsync();
                order.add(e.getKey());
            }
            for (Long gone : published) {
                if (!local.containsKey(gone)) batch.getMap(key(gone), StringCodec.INSTANCE).fastRemoveAsync(nodeId);
            }
            BatchResult<?> result = batch.execute();
            published = new HashSet<>(local.keySet());
            Map<Long, Integer> totals = new HashMap<>();
            // Three answers per channel in the order queued; the third is the hash after our write.
            List<?> answers = result.getResponses();
            for (int i = 0; i < order.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, String> all = (Map<String, String>) answers.get(i * 3 + 2);
                totals.put(order.get(i), sum(all, now));
            }
            if (failing) LOG.info("chat presence is counted over all nodes again");
            failing = false;
            return totals;
        } catch (RuntimeException e) {
            if (!failing) LOG.warn("chat presence falls back to this node's count: {}", e.toString());
            failing = true;
            return local;
        }
    }

    static int sum(Map<String, String> entries, long now) {
        int total = 0;
        for (String v : entries.values()) {
            int colon = v.indexOf(':');
            if (colon < 0) continue;
            try {
                if (Long.parseLong(v.substring(colon + 1)) > now) total += Integer.parseInt(v.substring(0, colon));
            } catch (NumberFormatException e) {
                // Not written by us; ignore it.
            }
        }
        return total;
    }

    @Override
    public void close() {
        if (published.isEmpty() || !redis.isUp()) return;
        try {
            RBatch batch = redis.client().createBatch();
            for (Long ch : published) batch.getMap(key(ch), StringCodec.INSTANCE).fastRemoveAsync(nodeId);
            batch.execute();
        } catch (RuntimeException e) {
            LOG.debug("could not withdraw presence on close: {}", e.toString());
        }
    }
}
