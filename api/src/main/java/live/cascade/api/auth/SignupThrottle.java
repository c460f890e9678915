package live.cascade.api.auth;

import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import live.cascade.api.ratelimit.RateLimiter;

import java.time.Duration;

/**
 * Limits account creation per client address (its /64 for IPv6) and for the whole deployment, in fixed windows on the
 * node's {@link RateLimiter} (shared through Redis when configured). Every valid signup attempt counts, taken or not:
 * each one costs a password hash, and throwaway accounts are what defeat per-user chat limits and bans.
 */
public final class SignupThrottle {
    static final String TOTAL_KEY = "signup:total";

    private final RateLimiter limiter;
    private final int perIp;
    private final int total;
    private final Duration window;
    private final Refusals refusals;

    public SignupThrottle(RateLimiter limiter, int perIp, int total, Duration window, Refusals refusals) {
        this.limiter = limiter;
        this.perIp = perIp;
        this.total = total;
        this.window = window;
        this.refusals = refusals;
    }

    /** Counts one signup from {@code ip}, or answers 429 + Retry-After when this address or the node is past its limit. */
    public void admit(String ip) {
        String ipKey = "signup:ip:" + ClientAddress.limitKey(ip);
        RateLimiter.Decision byIp = limiter.peek(ipKey, perIp, window);
        if (!byIp.allowed()) {
            refusals.count(RefusalReason.SIGNUPS_PER_IP);
            throw ApiException.tooManyRequests("Too many accounts were created from your network recently; try again in "
                    + seconds(byIp) + " s, or log in to the account you already have.", seconds(byIp));
        }
        RateLimiter.Decision overall = limiter.acquire(TOTAL_KEY, total, window);
        if (!overall.allowed()) {
            refusals.count(RefusalReason.SIGNUPS_TOTAL);
            throw ApiException.tooManyRequests("This site is taking no more new accounts for the moment; try again in "
                    + seconds(overall) + " s.", seconds(overall));
        }
        limiter.acquire(ipKey, perIp, window);
    }

    private static long seconds(RateLimiter.Decision d) {
        return Math.max(1, (d.retryAfter().toMillis() + 999) / 1000);
    }
}
