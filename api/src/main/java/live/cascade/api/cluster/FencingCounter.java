package live.cascade.api.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out a channel's fencing tokens: each call a larger one than any before, for the life of the deployment. */
@FunctionalInterface
public interface FencingCounter {
    long next(long channelId);

    /** A counter in this process's memory (tests, and nothing that outlives the process). */
    static FencingCounter inMemory() {
        Map<Long, AtomicLong> epochs = new ConcurrentHashMap<>();
        return channelId -> epochs.computeIfAbsent(channelId, k -> new AtomicLong()).incrementAndGet();
    }
}
