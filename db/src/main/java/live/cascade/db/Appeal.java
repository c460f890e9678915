package live.cascade.db;

import java.time.Instant;

/** An appeal against one enforcement action; state pending, upheld (the action stands) or reversed (undone). */
public record Appeal(long id, long enforcementId, long userId, String statement, String state, Long decidedBy,
                     Instant decidedAt, String decisionNote, Instant createdAt) {
}
