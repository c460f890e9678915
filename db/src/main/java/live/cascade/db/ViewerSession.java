package live.cascade.db;

import java.time.Instant;

/**
 * One viewer's session on a channel. {@code streamSessionId} is the broadcast it watched (null if it was not yet
 * recorded as live); {@code endedAt} is null while watching.
 */
public record ViewerSession(long id, long channelId, Long streamSessionId, String sessionKey, String protocol,
                            Instant startedAt, Instant endedAt) {
}
