package live.cascade.api.auth;

import live.cascade.api.http.ApiException;
import live.cascade.api.ratelimit.RateLimiter;

import java.time.Duration;
import java.util.Locale;

/**
 * Slows password guessing: failed logins are counted per client IP and per account, and once either count is used up
 * for the window, further attempts get 429 with Retry-After until it passes. Only failures count, so a user who
 * types their password right is never locked out by their own successful logins.
 */
public final class LoginThrottle {
    private final RateLimiter limiter;
    private final int perIp;
    private final int perAccount;
    private final Duration window;

    public LoginThrottle(RateLimiter limiter, int perIp, int perAccount, Duration window) {
        this.limiter = limiter;
        this.perIp = perIp;
        this.perAccount = perAccount;
        this.window = window;
    }

    /** 429 when this IP or this login name has failed too often in the current window. */
    public void checkAllowed(String ip, String login) {
        RateLimiter.Decision byIp = limiter.peek(ipKey(ip), perIp, window);
        RateLimiter.Decision byAccount = limiter.peek(accountKey(login), perAccount, window);
        if (!byIp.allowed()) {
            throw ApiException.tooManyRequests("Too many failed logins from your network; wait " + seconds(byIp) + " s and try again.", seconds(byIp));
        }
        if (!byAccount.allowed()) {
            throw ApiException.tooManyRequests("Too many failed logins for this account; wait " + seconds(byAccount) + " s and try again.", seconds(byAccount));
        }
    }

    public void recordFailure(String ip, String login) {
        limiter.acquire(ipKey(ip), perIp, window);
        limiter.acquire(accountKey(login), perAccount, window);
    }

    public void recordSuccess(String login) {
        limiter.reset(accountKey(login));
    }

    private static long seconds(RateLimiter.Decision d) {
        return Math.max(1, (d.retryAfter().toMillis() + 999) / 1000);
    }

    private static String ipKey(String ip) {
        return "login:ip:" + ip;
    }

    private static String accountKey(String login) {
        return "login:account:" + login.strip().toLowerCase(Locale.ROOT);
    }
}
