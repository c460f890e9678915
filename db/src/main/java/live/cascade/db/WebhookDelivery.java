package live.cascade.db;

import java.time.Instant;
import java.util.Optional;

/** One event on its way to one webhook: {@code pending} (retried at {@code nextAttemptAt}), {@code delivered} or {@code failed}. */
public record WebhookDelivery(long id, long webhookId, String event, String payload, String status, int attempts,
                              Instant nextAttemptAt, Optional<Integer> lastStatus, Optional<String> lastError,
                              Instant createdAt, Optional<Instant> deliveredAt) {
}
