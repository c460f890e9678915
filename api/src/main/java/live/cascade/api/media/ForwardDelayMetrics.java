package live.cascade.api.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.Supplier;
import live.cascade.sfu.engine.ForwardDelayHistogram;

/**
 * {@code cascade_media_forward_delay_seconds}: a histogram of how long publishers' RTP packets spent in the node, from
 * the kernel's receive stamp until their copies were handed on (the media workers' {@code ForwardDelays}), all
 * workers together. The workers keep plain bucket counts on their own threads; a scrape takes one copy per worker, so
 * the packet path never touches a metrics library. Micrometer has no meter for buckets counted elsewhere, hence a
 * Prometheus collector beside its meters in the same registry.
 */
final class ForwardDelayMetrics implements Collector {
    static final String NAME = "cascade_media_forward_delay_seconds";

    private final Supplier<ForwardDelayHistogram> source;

    ForwardDelayMetrics(Supplier<ForwardDelayHistogram> source) {
        this.source = source;
    }

    /** Registers the histogram when {@code registry} is the node's Prometheus registry; other registries go without. */
    static void bind(Supplier<ForwardDelayHistogram> source, MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(new ForwardDelayMetrics(source));
        }
    }

    @Override
    public MetricSnapshot collect() {
        ForwardDelayHistogram h = source.get();
        return HistogramSnapshot.builder()
                .name(NAME)
                .help("Time publishers' RTP packets spent in the node, kernel receive stamp to copies handed on")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(h.upperBoundsSeconds(), h.counts()))
                        .sum(h.sumSeconds())
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
