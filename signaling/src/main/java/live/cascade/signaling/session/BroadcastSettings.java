package live.cascade.signaling.session;

import java.time.Duration;
import java.util.Objects;
import live.cascade.sfu.routing.RouterConfig;

/**
 * @param publisherGrace how long a channel whose publisher vanished stays "reconnecting" before the broadcast ends
 * @param maxSessions    WHIP plus WHEP sessions this node accepts before answering 503
 * @param tickInterval   how often routers run their periodic work (sender and receiver reports, keyframe retries,
 *                       REMB updates; transport-cc feedback and NACKs also go out from the packet path)
 * @param router         each broadcast's router tunables (history and GOP cache size, feedback intervals, limits)
 */
public record BroadcastSettings(Duration publisherGrace, int maxSessions, Duration tickInterval, RouterConfig router) {
    public static final BroadcastSettings DEFAULTS = new BroadcastSettings(Duration.ofSeconds(10), 1000, Duration.ofMillis(100));

    public BroadcastSettings {
        Objects.requireNonNull(publisherGrace, "publisherGrace");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(router, "router");
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1");
    }

    /** With the default router settings. */
    public BroadcastSettings(Duration publisherGrace, int maxSessions, Duration tickInterval) {
        this(publisherGrace, maxSessions, tickInterval, RouterConfig.defaults());
    }
}
