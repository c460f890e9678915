package live.cascade.db;

import java.time.Instant;

/** A browser login. Only the hash of the session token is stored. {@code ip} and {@code userAgent} may be null. */
public record LoginSession(long id, long userId, String tokenHash, Instant createdAt, Instant expiresAt, String ip,
                           String userAgent) {

    @Override
    public String toString() {
        return "LoginSession[id=" + id + ", userId=" + userId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + ", ip=" + ip + "]";
    }
}
