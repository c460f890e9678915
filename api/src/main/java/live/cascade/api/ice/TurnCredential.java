package live.cascade.api.ice;

import java.time.Instant;

/** One minted TURN credential: coturn accepts it until {@code expiresAt}. */
public record TurnCredential(String username, String password, Instant expiresAt) {
}
