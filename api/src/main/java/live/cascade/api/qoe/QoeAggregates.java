package live.cascade.api.qoe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.health.LiveChannelMeters;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every channel's {@link ChannelQoe} on this node, and for each channel live here three gauges over the last
 * {@link #GAUGE_WINDOW}: {@code cascade_qoe_channel_startup_seconds{channel,quantile="0.5"|"0.95"}} and
 * {@code cascade_qoe_channel_rebuffer_ratio{channel}}. They are registered when the broadcast goes live and removed
 * when it ends ({@link LiveChannelMeters}, like the ingest gauges). A channel nobody reported on within the window is
 * forgotten.
 */
public final class QoeAggregates implements BroadcastListener {
    static final Duration GAUGE_WINDOW = Duration.ofMinutes(5);

    private final Map<Long, ChannelQoe> channels = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Clock clock;
    private final LiveChannelMeters meters;

    public QoeAggregates(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.meters = new LiveChannelMeters("qoe", registry);
    }

    void add(QoeReport r) {
        channels.computeIfAbsent(r.channelId(), id -> new ChannelQoe()).add(r, clock.instant());
        if (channels.size() > 1024) forgetIdle();
    }

    /** The channel's figures over {@code within} (at most {@link ChannelQoe#WINDOW}); empty when nobody reported. */
    public Optional<QoeSnapshot> snapshot(long channelId, Duration within) {
        ChannelQoe c = channels.get(channelId);
        return c == null ? Optional.empty() : Optional.of(c.snapshot(clock.instant(), within));
    }

    private void forgetIdle() {
        long cutoff = clock.millis() - ChannelQoe.WINDOW.toMillis();
        channels.entrySet().removeIf(e -> e.getValue().lastMillis() < cutoff && !meters.registered(e.getKey()));
    }

    @Override
    public void onLive(ChannelRef channel) {
        meters.live(channel, c -> {
            long id = c.id();
            List<Meter> list = List.of(
                    Gauge.builder("cascade_qoe_channel_startup_seconds", this, a -> a.startup(id, true))
                            .description("Median or 95th-percentile player startup of a live channel over the last 5 minutes (NaN before any play)")
                            .tag("channel", c.slug()).tag("quantile", "0.5").register(registry),
                    Gauge.builder("cascade_qoe_channel_startup_seconds", this, a -> a.startup(id, false))
                            .description("Median or 95th-percentile player startup of a live channel over the last 5 minutes (NaN before any play)")
                            .tag("channel", c.slug()).tag("quantile", "0.95").register(registry),
                    Gauge.builder("cascade_qoe_channel_rebuffer_ratio", this, a -> a.rebufferRatio(id))
                            .description("Time stalled over time played by a live channel's players over the last 5 minutes")
                            .tag("channel", c.slug()).register(registry));
            return Optional.of(reg -> list.forEach(reg::remove));
        });
    }

    @Override
    public void onEnded(ChannelRef channel) {
        meters.ended(channel);
    }

    private double startup(long channelId, boolean median) {
        return snapshot(channelId, GAUGE_WINDOW).map(s -> median ? s.startup().p50Ms() : s.startup().p95Ms())
                .map(ms -> ms / 1000.0).orElse(Double.NaN);
    }

    private double rebufferRatio(long channelId) {
        return snapshot(channelId, GAUGE_WINDOW).filter(s -> s.watchSeconds() > 0).map(QoeSnapshot::rebufferRatio).orElse(Double.NaN);
    }
}
