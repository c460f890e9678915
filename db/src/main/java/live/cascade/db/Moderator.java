package live.cascade.db;

import java.time.Instant;

/** A user appointed to moderate a channel's chat. {@code appointedBy} is null once that account is gone. */
public record Moderator(long channelId, long userId, String username, Long appointedBy, Instant createdAt) {
}
