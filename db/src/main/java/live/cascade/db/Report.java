package live.cascade.db;

import java.time.Instant;

/**
 * A viewer's report of a message or a user to the channel's moderators.
 *
 * @param messageId null when a user, not a message, was reported
 */
public record Report(long id, long channelId, Long reporterId, String reporterName, Long targetUserId,
                     String targetName, Long messageId, String reason, Status status, Instant createdAt,
                     Long resolvedBy, Instant resolvedAt, String resolution) {

    public enum Status {
        OPEN, RESOLVED;

        String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status fromDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
