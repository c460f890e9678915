package live.cascade.api.chat;

import java.util.Map;

/**
 * Counts chat sockets per channel over all nodes. A seam with an in-process form ({@link LocalPresence}) and a Redis
 * form ({@code redis.RedisPresence}).
 */
public interface Presence extends AutoCloseable {

    /**
     * Publishes this node's socket count per channel (channels missing from {@code local} have none here any more)
     * and returns the total over all nodes for each channel of {@code local}. Called once per presence tick.
     */
    Map<Long, Integer> exchange(Map<Long, Integer> local);

    @Override
    void close();
}
