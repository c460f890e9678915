package live.cascade.db;

import java.time.Instant;

/**
 * One entry of a channel's moderation log. Names are the accounts' current usernames; ids and names are null when
 * the action had no such party or the account has been deleted since.
 */
public record ModerationAction(long id, long channelId, ModerationActionType action, Long actorId, String actorName,
                               Long targetUserId, String targetName, Long targetMessageId, String reason,
                               String detail, Instant createdAt) {
}
