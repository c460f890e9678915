package live.cascade.api.media;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.signaling.session.BroadcastService;

/**
 * The node's WebRTC sessions by role, for dashboards' "viewers by path" (HLS players are {@code cascade_hls_viewers}):
 * two series per node, never one per session or channel.
 */
public final class MediaSessionMetrics {
    private MediaSessionMetrics() {
    }

    public static void bind(BroadcastService broadcasts, MeterRegistry registry) {
        Gauge.builder("cascade_media_sessions", broadcasts, BroadcastService::publisherSessions)
                .description("Open WebRTC sessions on this node, by role (WHIP publishers, WHEP viewers)")
                .tag("role", "publisher").register(registry);
        Gauge.builder("cascade_media_sessions", broadcasts, BroadcastService::viewerSessions)
                .description("Open WebRTC sessions on this node, by role (WHIP publishers, WHEP viewers)")
                .tag("role", "viewer").register(registry);
    }
}
