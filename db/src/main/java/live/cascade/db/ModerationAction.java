package live.cascade.db;

import java.time.Instant;

/**
 * One entry of a channel's moderation log, or of the site-wide log (then {@code channelId} is null). Names are the
 * accounts' current usernames; ids and names are null when the action had no such party or the account has been
 * deleted since.
 */
public record ModerationAction(long id, Long channelId, ModerationActionType action, Long actorId, String actorName,
                               Long targetUserId, String targetName, Long targetMessageId, String reason,
                               String detail, Instant createdAt) {
}
