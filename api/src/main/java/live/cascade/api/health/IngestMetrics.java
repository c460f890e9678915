package live.cascade.api.health;

import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The ingest health of every channel broadcasting on this node as Prometheus gauges tagged {@code channel=<slug>}
 * (and {@code kind=audio|video}): a channel's gauges are registered when its broadcast goes live and removed when it
 * ends, so a scrape never shows channels that are gone. Broadcast events arrive on media worker threads, which must not
 * wait on the registry, so (un)registration runs in order on a thread of its own.
 */
public final class IngestMetrics implements BroadcastListener {
    private static final Logger LOG = LoggerFactory.getLogger(IngestMetrics.class);
    /**
     * How long one snapshot serves a channel's gauges. A scrape reads all of them within milliseconds, so each scrape
     * costs one hop to the channel's worker, not one per series; the router's figures change once a second anyway.
     */
    static final Duration SNAPSHOT_TTL = Duration.ofMillis(1000);

    private final MeterRegistry registry;
    private final LongFunction<Optional<IngestStats>> source;
    private final Map<Long, ChannelIngestGauges> channels = new ConcurrentHashMap<>();
    /** One thread keeps events in order; it exits when idle, so a stopped node leaves no thread behind. */
    private final ThreadPoolExecutor registrar = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("ingest-metrics").factory());

    /** @param source a channel's ingest snapshot by channel id, empty when it is not broadcasting here */
    public IngestMetrics(MeterRegistry registry, LongFunction<Optional<IngestStats>> source) {
        this.registry = registry;
        this.source = source;
        registrar.allowCoreThreadTimeOut(true);
    }

    @Override
    public void onLive(ChannelRef channel) {
        run(() -> {
            ChannelIngestGauges old = channels.remove(channel.id());
            if (old != null) old.remove(registry);
            // The tracks (and so which gauges exist, and the codec label) are fixed for the broadcast's life.
            source.apply(channel.id()).ifPresent(first ->
                    channels.put(channel.id(), ChannelIngestGauges.register(registry, channel, first,
                            () -> source.apply(channel.id()), SNAPSHOT_TTL)));
        });
    }

    @Override
    public void onEnded(ChannelRef channel) {
        run(() -> {
            ChannelIngestGauges g = channels.remove(channel.id());
            if (g != null) g.remove(registry);
        });
    }

    private void run(Runnable r) {
        try {
            registrar.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("ingest metrics: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("ingest metrics: event dropped: {}", e.toString());
        }
    }
}
