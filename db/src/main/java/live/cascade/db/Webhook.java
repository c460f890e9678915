package live.cascade.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A URL subscribed to events of one channel ({@code channelId}) or of every channel (empty: node-wide). */
public record Webhook(long id, long ownerId, Optional<Long> channelId, String url, String secret, List<String> events,
                      Instant createdAt) {
    public Webhook {
        events = List.copyOf(events);
    }
}
