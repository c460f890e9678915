package live.cascade.db;

import java.time.Instant;

/**
 * Where a channel's broadcast is also sent (issue 23).
 *
 * @param url    the RTMP/RTMPS server URL without the key ({@code rtmp://live.twitch.tv/app})
 * @param keyEnc the destination's stream key, encrypted with the node secret
 */
public record RestreamTarget(long id, long channelId, String url, String keyEnc, Instant createdAt) {}
