package live.cascade.db;

import java.time.Duration;
import java.time.Instant;

/**
 * A ban (no end) or a timeout (ends at {@code expiresAt}) of one user in one channel's chat.
 *
 * @param bannedBy null once that account is gone
 * @param reason   may be null
 */
public record Ban(long channelId, long userId, String username, Long bannedBy, String reason, Instant createdAt,
                  Instant expiresAt) {

    public boolean permanent() {
        return expiresAt == null;
    }

    /** Time left at {@code now}; null for a permanent ban. */
    public Duration remaining(Instant now) {
        return expiresAt == null ? null : Duration.between(now, expiresAt).isNegative() ? Duration.ZERO
                : Duration.between(now, expiresAt);
    }
}
