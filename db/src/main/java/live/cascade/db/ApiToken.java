package live.cascade.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An account's API token as its owner sees it: never the token itself, which only its hash on the row could match. */
public record ApiToken(long id, long userId, String name, List<String> scopes, Instant createdAt,
                       Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {
    public ApiToken {
        scopes = List.copyOf(scopes);
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
