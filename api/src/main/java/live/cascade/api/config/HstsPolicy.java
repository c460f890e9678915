package live.cascade.api.config;

import java.time.Duration;

/**
 * The Strict-Transport-Security a node sends over HTTPS (never over plain HTTP, where browsers ignore it and where it
 * would be a lie). A browser that has seen it goes straight to https:// for {@code maxAge}, so a network attacker
 * cannot downgrade the first request and read the session cookie.
 *
 * @param maxAge            how long browsers remember it; zero sends no header
 * @param includeSubdomains also for every subdomain of this host
 */
public record HstsPolicy(Duration maxAge, boolean includeSubdomains) {
    public boolean enabled() {
        return !maxAge.isZero();
    }
}
