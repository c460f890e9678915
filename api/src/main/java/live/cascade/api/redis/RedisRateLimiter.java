package live.cascade.api.redis;

import live.cascade.api.ratelimit.RateLimiter;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Rate limits shared by all nodes: one Redisson {@link RRateLimiter} per key ({@code <namespace>:rl:<key>}), a sliding
 * window of {@code limit} events per {@code window}, kept alive for one window after its last use.
 *
 * <p>Two differences from {@code LocalRateLimiter} worth knowing: Redisson does not say when the next permit frees
 * up, so a refusal's retry-after is the whole window (an upper bound); and a limiter keeps the limit it was created
 * with until it has been idle for a window, so a changed setting applies to busy keys a little later. While Redis is
 * down this node limits on its own (the fallback), so limits still hold per node rather than not at all.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    private final RedisConnection redis;
    private final RateLimiter fallback;

    public RedisRateLimiter(RedisConnection redis, RateLimiter fallback) {
        this.redis = redis;
        this.fallback = fallback;
    }

    private RRateLimiter limiter(String key, int limit, Duration window) {
        RRateLimiter rl = redis.client().getRateLimiter(redis.key("rl:" + key));
        rl.trySetRate(RateType.OVERALL, limit, window, window);
        return rl;
    }

    @Override
    public Decision acquire(String key, int limit, Duration window) {
        if (!redis.isUp()) return fallback.acquire(key, limit, window);
        try {
            return limiter(key, limit, window).tryAcquire() ? Decision.ALLOW : new Decision(false, window);
        } catch (RedisException e) {
            LOG.debug("rate limit {} checked locally: {}", key, e.toString());
            return fallback.acquire(key, limit, window);
        }
    }

    @Override
    public Decision peek(String key, int limit, Duration window) {
        if (!redis.isUp()) return fallback.peek(key, limit, window);
        try {
            return limiter(key, limit, window).availablePermits() >= 1 ? Decision.ALLOW : new Decision(false, window);
        } catch (RedisException e) {
            LOG.debug("rate limit {} peeked locally: {}", key, e.toString());
            return fallback.peek(key, limit, window);
        }
    }

    @Override
    public void reset(String key) {
        fallback.reset(key);
        if (!redis.isUp()) return;
        try {
            redis.client().getRateLimiter(redis.key("rl:" + key)).delete();
        } catch (RedisException e) {
            LOG.debug("rate limit {} not reset in redis: {}", key, e.toString());
        }
    }
}
