package live.cascade.api.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * What each channel live on this node sends its WebRTC viewers, as series tagged only {@code channel}:
 * {@code cascade_channel_egress_bytes_total}, {@code cascade_channel_viewer_nacks_total} (sequence numbers viewers
 * asked again), {@code cascade_channel_retransmissions_total}, {@code cascade_channel_viewer_keyframe_requests_total}
 * (PLI and FIR) and the gauge {@code cascade_channel_viewers}. Registered when a broadcast goes live and removed when
 * it ends, so the series are bounded by the channels live here (five per channel), like the ingest gauges.
 * Registration runs on a thread of its own (broadcast events arrive on media threads).
 */
public final class ChannelEgressMetrics implements BroadcastListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelEgressMetrics.class);

    private final MeterRegistry registry;
    private final LongFunction<Optional<RouterStats>> source;
    /** A live channel's meters, and its totals held strongly here (function counters hold their object weakly). */
    private record Registered(ChannelEgress egress, List<Meter> meters) {
    }

    private final Map<Long, Registered> channels = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor registrar = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("egress-metrics").factory());

    /** @param source a channel's router counters by channel id, empty when it is not broadcasting here */
    public ChannelEgressMetrics(MeterRegistry registry, LongFunction<Optional<RouterStats>> source) {
        this.registry = registry;
        this.source = source;
        registrar.allowCoreThreadTimeOut(true);
    }

    @Override
    public void onLive(ChannelRef channel) {
        run(() -> {
            remove(channel.id());
            ChannelEgress egress = new ChannelEgress(() -> source.apply(channel.id()));
            Tags tags = Tags.of("channel", channel.slug());
            List<Meter> meters = new ArrayList<>();
            meters.add(counter("cascade_channel_egress_bytes_total", "Bytes sent to the channel's WebRTC viewers on this node (media and retransmissions)",
                    tags, egress, e -> e.totals().bytes()));
            meters.add(counter("cascade_channel_viewer_nacks_total", "Sequence numbers the channel's viewers asked to have retransmitted (NACK)",
                    tags, egress, e -> e.totals().nacks()));
            meters.add(counter("cascade_channel_retransmissions_total", "Retransmissions sent to the channel's viewers in answer to NACKs",
                    tags, egress, e -> e.totals().retransmissions()));
            meters.add(counter("cascade_channel_viewer_keyframe_requests_total", "Keyframe requests (PLI, FIR) from the channel's viewers",
                    tags, egress, e -> e.totals().keyframeRequests()));
            meters.add(Gauge.builder("cascade_channel_viewers", egress, e -> e.totals().viewers())
                    .description("WebRTC viewers of the channel on this node").tags(tags).strongReference(true).register(registry));
            channels.put(channel.id(), new Registered(egress, meters));
        });
    }

    private FunctionCounter counter(String name, String description, Tags tags, ChannelEgress egress, ToDoubleFunction<ChannelEgress> f) {
        return FunctionCounter.builder(name, egress, f).description(description).tags(tags).register(registry);
    }

    @Override
    public void onEnded(ChannelRef channel) {
        run(() -> remove(channel.id()));
    }

    private void remove(long channelId) {
        Registered old = channels.remove(channelId);
        if (old != null) old.meters().forEach(registry::remove);
    }

    private void run(Runnable r) {
        try {
            registrar.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("egress metrics: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("egress metrics: event dropped: {}", e.toString());
        }
    }
}
