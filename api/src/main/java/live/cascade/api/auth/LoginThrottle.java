package live.cascade.api.auth;

import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import live.cascade.api.ratelimit.RateLimiter;

import java.time.Duration;
import java.util.Locale;

/**
 * Slows password guessing without handing anyone a way to lock a user out. Failed logins are counted per client
 * address (its /64 for IPv6) and per client address and account, never per account alone: a guesser who has used up
 * an account's tries from their address is stopped, while the account's owner, from any other address, logs in as
 * usual. Only failures count, and a success clears that address's count for the account.
 */
public final class LoginThrottle {
    private final RateLimiter limiter;
    private final int perIp;
    private final int perIpAndAccount;
    private final Duration window;
    private final Refusals refusals;

    public LoginThrottle(RateLimiter limiter, int perIp, int perIpAndAccount, Duration window, Refusals refusals) {
        this.limiter = limiter;
        this.perIp = perIp;
        this.perIpAndAccount = perIpAndAccount;
        this.window = window;
        this.refusals = refusals;
    }

    /** 429 when this address, or this address for this account, has failed too often in the current window. */
    public void checkAllowed(String ip, String account) {
        checkAddress(ip);
        checkAccount(ip, account);
    }

    /** 429 when this address has failed too often in the current window, whatever account it tries. */
    public void checkAddress(String ip) {
        RateLimiter.Decision byIp = limiter.peek(ipKey(ip), perIp, window);
        if (!byIp.allowed()) {
            refusals.count(RefusalReason.LOGIN_FAILURES_PER_IP);
            throw ApiException.tooManyRequests("Too many failed logins from your network; wait " + seconds(byIp) + " s and try again.", seconds(byIp));
        }
    }

    /**
     * 429 when this address has failed too often for {@code account} in the current window. Pass the account's
     * username when the login named one, so tries by username and by email count together.
     */
    public void checkAccount(String ip, String account) {
        RateLimiter.Decision byAccount = limiter.peek(accountKey(ip, account), perIpAndAccount, window);
        if (!byAccount.allowed()) {
            refusals.count(RefusalReason.LOGIN_FAILURES_PER_IP_ACCOUNT);
            throw ApiException.tooManyRequests("Too many failed logins for this account from your network; wait " + seconds(byAccount)
                    + " s and try again, or reset your password.", seconds(byAccount));
        }
    }

    public void recordFailure(String ip, String account) {
        limiter.acquire(ipKey(ip), perIp, window);
        limiter.acquire(accountKey(ip, account), perIpAndAccount, window);
    }

    public void recordSuccess(String ip, String account) {
        limiter.reset(accountKey(ip, account));
    }

    private static long seconds(RateLimiter.Decision d) {
        return Math.max(1, (d.retryAfter().toMillis() + 999) / 1000);
    }

    private static String ipKey(String ip) {
        return "login:ip:" + ClientAddress.limitKey(ip);
    }

    private static String accountKey(String ip, String account) {
        return "login:ip-account:" + ClientAddress.limitKey(ip) + "|" + account.strip().toLowerCase(Locale.ROOT);
    }
}
