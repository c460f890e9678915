package live.cascade.api.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * What each channel live on this node sends its WebRTC viewers, as series tagged only {@code channel}:
 * {@code cascade_channel_egress_bytes_total}, {@code cascade_channel_viewer_nacks_total} (sequence numbers viewers
 * asked again), {@code cascade_channel_retransmissions_total}, {@code cascade_channel_viewer_keyframe_requests_total}
 * (PLI and FIR) and the gauge {@code cascade_channel_viewers}; five per channel, registered while it is live
 * ({@link LiveChannelMeters}), like the ingest gauges.
 */
public final class ChannelEgressMetrics implements BroadcastListener {
    private final MeterRegistry registry;
    private final LongFunction<Optional<RouterStats>> source;
    private final LiveChannelMeters meters;

    /** A live channel's meters, and its totals held strongly here (function counters hold their object weakly). */
    private record Registered(ChannelEgress egress, List<Meter> meters) implements LiveChannelMeters.Registration {
        @Override
        public void remove(MeterRegistry registry) {
            meters.forEach(registry::remove);
        }
    }

    /** @param source a channel's router counters by channel id, empty when it is not broadcasting here */
    public ChannelEgressMetrics(MeterRegistry registry, LongFunction<Optional<RouterStats>> source) {
        this.registry = registry;
        this.source = source;
        this.meters = new LiveChannelMeters("egress", registry);
    }

    @Override
    public void onLive(ChannelRef channel) {
        meters.live(channel, c -> Optional.of(register(c)));
    }

    private Registered register(ChannelRef channel) {
        ChannelEgress egress = new ChannelEgress(() -> source.apply(channel.id()));
        Tags tags = Tags.of("channel", channel.slug());
        List<Meter> list = new ArrayList<>();
        list.add(counter("cascade_channel_egress_bytes_total", "Bytes sent to the channel's WebRTC viewers on this node (media and retransmissions)",
                tags, egress, e -> e.totals().bytes()));
        list.add(counter("cascade_channel_viewer_nacks_total", "Sequence numbers the channel's viewers asked to have retransmitted (NACK)",
                tags, egress, e -> e.totals().nacks()));
        list.add(counter("cascade_channel_retransmissions_total", "Retransmissions sent to the channel's viewers in answer to NACKs",
                tags, egress, e -> e.totals().retransmissions()));
        list.add(counter("cascade_channel_viewer_keyframe_requests_total", "Keyframe requests (PLI, FIR) from the channel's viewers",
                tags, egress, e -> e.totals().keyframeRequests()));
        list.add(Gauge.builder("cascade_channel_viewers", egress, e -> e.totals().viewers())
                .description("WebRTC viewers of the channel on this node").tags(tags).strongReference(true).register(registry));
        return new Registered(egress, list);
    }

    private FunctionCounter counter(String name, String description, Tags tags, ChannelEgress egress, ToDoubleFunction<ChannelEgress> f) {
        return FunctionCounter.builder(name, egress, f).description(description).tags(tags).register(registry);
    }

    @Override
    public void onEnded(ChannelRef channel) {
        meters.ended(channel);
    }
}
