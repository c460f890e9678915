package live.cascade.signaling.session;

import java.time.Duration;
import java.util.Objects;
import live.cascade.sfu.routing.RouterConfig;

/**
 * @param publisherGrace how long a channel whose publisher vanished stays "reconnecting" before the broadcast ends
 * @param admission      the node's WHIP and WHEP sessions: the publishers' and viewers' shares and the caps on
 *                       viewers still setting up per address and per channel
 * @param tickInterval   how often routers run their periodic work (sender and receiver reports, keyframe retries,
 *                       REMB updates; transport-cc feedback and NACKs also go out from the packet path)
 * @param router         each broadcast's router tunables (history and GOP cache size, feedback intervals, limits)
 * @param spreadViewers  a channel's WHEP viewers join on the least-loaded media worker, each other worker fed
 *                       through a relay router ({@link live.cascade.sfu.spread.ChannelSpread}); off keeps every viewer
 *                       on the channel's worker
 */
public record BroadcastSettings(Duration publisherGrace, AdmissionLimits admission, Duration tickInterval, RouterConfig router,
                                boolean spreadViewers) {
    /** Whether viewers spread over workers unless a setting says otherwise. */
    public static final boolean SPREAD_VIEWERS_DEFAULT = true;

    public static final BroadcastSettings DEFAULTS = new BroadcastSettings(Duration.ofSeconds(10), 1000, Duration.ofMillis(100));

    public BroadcastSettings {
        Objects.requireNonNull(publisherGrace, "publisherGrace");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(admission, "admission");
    }

    /** With viewers spread as {@link #SPREAD_VIEWERS_DEFAULT} says. */
    public BroadcastSettings(Duration publisherGrace, AdmissionLimits admission, Duration tickInterval, RouterConfig router) {
        this(publisherGrace, admission, tickInterval, router, SPREAD_VIEWERS_DEFAULT);
    }

    /** One pool of {@code maxSessions} for publishers and viewers together, with {@code router}. */
    public BroadcastSettings(Duration publisherGrace, int maxSessions, Duration tickInterval, RouterConfig router) {
        this(publisherGrace, AdmissionLimits.unshared(maxSessions), tickInterval, router);
    }

    /** WHIP plus WHEP sessions this node accepts before answering 503. */
    public int maxSessions() {
        return admission.maxSessions();
    }

    /** With the default router settings. */
    public BroadcastSettings(Duration publisherGrace, int maxSessions, Duration tickInterval) {
        this(publisherGrace, maxSessions, tickInterval, RouterConfig.defaults());
    }
}
