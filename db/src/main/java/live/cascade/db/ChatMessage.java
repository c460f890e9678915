package live.cascade.db;

import java.time.Instant;

/**
 * One chat message as stored.
 *
 * @param username  the author's current username
 * @param deletedAt null unless a moderator deleted it
 * @param deletedBy who deleted it, null if not deleted (or their account is gone)
 */
public record ChatMessage(long id, long channelId, long userId, String username, String text, Instant createdAt,
                          Instant deletedAt, Long deletedBy) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
