package live.cascade.api.ratelimit;

import java.time.Duration;

/**
 * Counts events per key in fixed windows. A seam with an in-process form ({@link LocalRateLimiter}) and, for several
 * nodes, a Redis form.
 */
public interface RateLimiter {
    /** Records one event for {@code key} and says whether it is still within {@code limit} per {@code window}. */
    Decision acquire(String key, int limit, Duration window);

    /** Says whether {@code key} has already used up {@code limit} in the current window, without recording anything. */
    Decision peek(String key, int limit, Duration window);

    /** Forgets {@code key}, e.g. after a successful login. */
    void reset(String key);

    /** {@code retryAfter} is zero when allowed. */
    record Decision(boolean allowed, Duration retryAfter) {
        public static final Decision ALLOW = new Decision(true, Duration.ZERO);
    }
}
