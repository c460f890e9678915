package live.cascade.db;

import java.time.Instant;

/**
 * An action an administrator took against an account's content or standing, which its owner may appeal once.
 *
 * @param kind      user_suspended, channel_suspended, message_deleted or recording_taken_down
 * @param subjectId the user, channel, message or recording acted on
 * @param userId    the affected account (who may appeal)
 */
public record Enforcement(long id, String kind, long subjectId, Long userId, Long reportId, Long actorId, String reason,
                          Instant createdAt, Instant reversedAt) {
}
