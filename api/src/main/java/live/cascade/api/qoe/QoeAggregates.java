package live.cascade.api.qoe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every channel's {@link ChannelQoe} on this node, and for each channel live here three gauges over the last
 * {@link #GAUGE_WINDOW}: {@code cascade_qoe_channel_startup_seconds{channel,quantile="0.5"|"0.95"}} and
 * {@code cascade_qoe_channel_rebuffer_ratio{channel}}. They are registered when the broadcast goes live and removed
 * when it ends (so the series are bounded by the live channels, like the ingest gauges); registration runs on a thread
 * of its own because broadcast events arrive on media threads. A channel nobody reported on within the window is
 * forgotten.
 */
public final class QoeAggregates implements BroadcastListener {
    private static final Logger LOG = LoggerFactory.getLogger(QoeAggregates.class);
    static final Duration GAUGE_WINDOW = Duration.ofMinutes(5);

    private final Map<Long, ChannelQoe> channels = new ConcurrentHashMap<>();
    private final Map<Long, List<Meter>> gauges = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Clock clock;
    private final ThreadPoolExecutor registrar = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("qoe-metrics").factory());

    public QoeAggregates(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        registrar.allowCoreThreadTimeOut(true);
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
        channels.entrySet().removeIf(e -> e.getValue().lastMillis() < cutoff && !gauges.containsKey(e.getKey()));
    }

    @Override
    public void onLive(ChannelRef channel) {
        run(() -> {
            remove(channel.id());
            long id = channel.id();
            String slug = channel.slug();
            gauges.put(id, List.of(
                    Gauge.builder("cascade_qoe_channel_startup_seconds", this, a -> a.startup(id, true))
                            .description("Median or 95th-percentile player startup of a live channel over the last 5 minutes (NaN before any play)")
                            .tag("channel", slug).tag("quantile", "0.5").register(registry),
                    Gauge.builder("cascade_qoe_channel_startup_seconds", this, a -> a.startup(id, false))
                            .description("Median or 95th-percentile player startup of a live channel over the last 5 minutes (NaN before any play)")
                            .tag("channel", slug).tag("quantile", "0.95").register(registry),
                    Gauge.builder("cascade_qoe_channel_rebuffer_ratio", this, a -> a.rebufferRatio(id))
                            .description("Time stalled over time played by a live channel's players over the last 5 minutes")
                            .tag("channel", slug).register(registry)));
        });
    }

    @Override
    public void onEnded(ChannelRef channel) {
        run(() -> remove(channel.id()));
    }

    private void remove(long channelId) {
        List<Meter> old = gauges.remove(channelId);
        if (old != null) old.forEach(registry::remove);
    }

    private double startup(long channelId, boolean median) {
        return snapshot(channelId, GAUGE_WINDOW).map(s -> median ? s.startup().p50Ms() : s.startup().p95Ms())
                .map(ms -> ms / 1000.0).orElse(Double.NaN);
    }

    private double rebufferRatio(long channelId) {
        return snapshot(channelId, GAUGE_WINDOW).filter(s -> s.watchSeconds() > 0).map(QoeSnapshot::rebufferRatio).orElse(Double.NaN);
    }

    private void run(Runnable r) {
        try {
            registrar.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("qoe metrics: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("qoe metrics: event dropped: {}", e.toString());
        }
    }
}
