package live.cascade.api.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.Supplier;
import live.cascade.sfu.net.ForwardDelays;

/**
 * {@code cascade_media_forward_delay_seconds}: a histogram of how long publishers' RTP packets spent in the node, from
 * the kernel's receive stamp until their copies were handed on ({@link ForwardDelays}), all workers together. The
 * workers keep plain bucket counts on their own threads; a scrape takes one copy per worker, so the packet path never
 * touches a metrics library. Micrometer has no meter for buckets counted elsewhere, hence a Prometheus collector
 * beside its meters in the same registry.
 */
final class ForwardDelayMetrics implements Collector {
    static final String NAME = "cascade_media_forward_delay_seconds";
    private static final double[] BOUNDS = ForwardDelays.Snapshot.upperBoundsSeconds();

    private final Supplier<ForwardDelays.Snapshot> source;

    ForwardDelayMetrics(Supplier<ForwardDelays.Snapshot> source) {
        this.source = source;
    }

    /** Registers the histogram when {@code registry} is the node's Prometheus registry; other registries go without. */
    static void bind(Supplier<ForwardDelays.Snapshot> source, MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(new ForwardDelayMetrics(source));
        }
    }

    @Override
    public MetricSnapshot collect() {
        ForwardDelays.Snapshot s = source.get();
        return HistogramSnapshot.builder()
                .name(NAME)
                .help("Time publishers' RTP packets spent in the node, kernel receive stamp to copies handed on")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, s.counts()))
                        .sum(s.sumNanos() / 1e9)
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
