package live.cascade.api.config;

import java.time.Duration;

/**
 * Playback tokens and HLS viewer counting.
 *
 * @param tokenLifetime   how long a playback token is good (and the interval of VOD playlists' shared token)
 * @param hlsViewersPerIp HLS players from one client address (IPv6: its /64) counted as viewers of one channel
 */
public record PlaybackConfig(Duration tokenLifetime, int hlsViewersPerIp) {
}
