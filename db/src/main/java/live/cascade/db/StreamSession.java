package live.cascade.db;

import java.time.Instant;

/**
 * One broadcast of a channel.
 *
 * @param endedAt     null while live
 * @param viewerCount current audience while live, 0 once ended
 */
public record StreamSession(long id, long channelId, Instant startedAt, Instant endedAt, int peakViewers,
                            int viewerCount) {

    public boolean live() {
        return endedAt == null;
    }
}
