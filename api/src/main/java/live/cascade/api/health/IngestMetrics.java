package live.cascade.api.health;

import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The ingest health of every channel broadcasting on this node as Prometheus gauges tagged {@code channel=<slug>}
 * (and {@code kind=audio|video}), registered while the channel is live ({@link LiveChannelMeters}).
 */
public final class IngestMetrics implements BroadcastListener {
    /**
     * How long one snapshot serves a channel's gauges. A scrape reads all of them within milliseconds, so each scrape
     * costs one hop to the channel's worker, not one per series; the router's figures change once a second anyway.
     */
    static final Duration SNAPSHOT_TTL = Duration.ofMillis(1000);

    private final MeterRegistry registry;
    private final LongFunction<Optional<IngestStats>> source;
    private final LiveChannelMeters meters;

    /** @param source a channel's ingest snapshot by channel id, empty when it is not broadcasting here */
    public IngestMetrics(MeterRegistry registry, LongFunction<Optional<IngestStats>> source) {
        this.registry = registry;
        this.source = source;
        this.meters = new LiveChannelMeters("ingest", registry);
    }

    @Override
    public void onLive(ChannelRef channel) {
        // The tracks (and so which gauges exist, and the codec label) are fixed for the broadcast's life.
        meters.live(channel, c -> source.apply(c.id()).map(first ->
                ChannelIngestGauges.register(registry, c, first, () -> source.apply(c.id()), SNAPSHOT_TTL)));
    }

    @Override
    public void onEnded(ChannelRef channel) {
        meters.ended(channel);
    }
}
