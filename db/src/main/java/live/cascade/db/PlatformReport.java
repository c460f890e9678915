package live.cascade.db;

import java.time.Instant;

/**
 * A report to the site's administrators.
 *
 * @param subjectKind   channel, user, message or recording
 * @param subjectUserId the account the subject belongs to (the user, the channel's owner, the message's author, the
 *                      recording's channel owner), null once erased
 * @param state         open, triaged, actioned or dismissed
 * @param actionTaken   the enforcement kind taken, or null
 */
public record PlatformReport(long id, Long reporterId, String subjectKind, long subjectId, Long subjectUserId,
                             String reason, String details, String evidenceUrl, String state, Long assigneeId,
                             String actionTaken, String resolution, Instant createdAt, Instant updatedAt) {
}
