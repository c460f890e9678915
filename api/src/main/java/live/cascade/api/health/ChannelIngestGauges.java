package live.cascade.api.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.sfu.routing.IngestTrackStats;
import live.cascade.signaling.session.ChannelRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One broadcasting channel's ingest gauges, all fed from one cached snapshot of its router. A figure not measured yet
 * is NaN, which Prometheus stores as "no value" rather than a misleading 0.
 */
final class ChannelIngestGauges implements LiveChannelMeters.Registration {
    private final Supplier<Optional<IngestStats>> source;
    private final long ttlNanos;
    private final List<Meter> meters = new ArrayList<>();
    private IngestStats snapshot;
    private long takenAt;

    private ChannelIngestGauges(Supplier<Optional<IngestStats>> source, Duration ttl, IngestStats first) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
        this.snapshot = first;
        this.takenAt = System.nanoTime();
    }

    static ChannelIngestGauges register(MeterRegistry registry, ChannelRef channel, IngestStats first,
                                        Supplier<Optional<IngestStats>> source, Duration ttl) {
        ChannelIngestGauges g = new ChannelIngestGauges(source, ttl, first);
        Tags channelTag = Tags.of("channel", channel.slug());
        g.gauge(registry, "cascade_ingest_publisher_connected", "1 while a publisher is attached to the channel's broadcast",
                channelTag, s -> s.publisherAttached() ? 1 : 0);
        // The congestion feedback to the publisher (transport-cc), per channel like the rest: no per-session labels.
        g.gauge(registry, "cascade_ingest_feedback_reported_lost_packets", "Packets the transport-cc feedback reported lost to the publisher, current stream",
                channelTag, s -> s.feedback().packetsReportedLost());
        g.gauge(registry, "cascade_ingest_feedback_interval_max_seconds", "Longest time between two transport-cc feedbacks, last second",
                channelTag, s -> s.feedback().maxIntervalMillis() / 1000.0);
        g.gauge(registry, "cascade_ingest_feedback_estimate_bits_per_second", "The rate the node's feedback implies to the publisher: "
                        + "bit/s its transport-cc feedback acknowledged over the last second, or its REMB estimate",
                channelTag, s -> "transport-cc".equals(s.congestionFeedback())
                        ? (s.feedback().acknowledgedBitrate() < 0 ? Double.NaN : s.feedback().acknowledgedBitrate())
                        : s.rembBitrate() < 0 ? Double.NaN : s.rembBitrate());
        g.gauge(registry, "cascade_ingest_arrival_delay_max_seconds", "Largest arrival delay over the fastest packet's the feedback reported, last second (abs-send-time)",
                channelTag, s -> s.feedback().stampedDelayMillis() < 0 ? Double.NaN : s.feedback().stampedDelayMillis() / 1000.0);
        g.gauge(registry, "cascade_ingest_node_wait_max_seconds", "Longest a publisher packet waited in the node before it was handled, last second (kernel timestamps)",
                channelTag, s -> s.feedback().receiveWaitMillis() / 1000.0);
        java.util.Set<MediaKind> kinds = java.util.EnumSet.noneOf(MediaKind.class);
        for (IngestTrackStats t : first.tracks()) {
            MediaKind kind = t.kind();
            // Simulcast layers share their kind: the gauges follow the first, the top layer (no per-layer labels).
            if (!kinds.add(kind)) continue;
            Tags tags = channelTag.and("kind", kind.name().toLowerCase(Locale.ROOT));
            g.gauge(registry, "cascade_ingest_codec", "1, labelled with the codec of the incoming track",
                    tags.and("codec", t.codec()), s -> 1);
            g.track(registry, "cascade_ingest_bitrate_bits_per_second", "Incoming bits per second (media, retransmissions, padding)",
                    tags, kind, x -> x.bitrate() < 0 ? Double.NaN : x.bitrate());
            g.track(registry, "cascade_ingest_packet_loss_ratio", "Share of incoming packets lost before repair, last second",
                    tags, kind, IngestTrackStats::packetLoss);
            g.track(registry, "cascade_ingest_jitter_seconds", "Interarrival jitter of the incoming track (RFC 3550)",
                    tags, kind, x -> x.jitterMillis() / 1000.0);
            if (kind == MediaKind.VIDEO) {
                g.track(registry, "cascade_ingest_frames_per_second", "Incoming video frames per second",
                        tags, kind, x -> x.frameRate() < 0 ? Double.NaN : x.frameRate());
                g.track(registry, "cascade_ingest_keyframe_interval_seconds", "Time between the last two incoming keyframes",
                        tags, kind, x -> x.keyframeIntervalMillis() < 0 ? Double.NaN : x.keyframeIntervalMillis() / 1000.0);
                g.track(registry, "cascade_ingest_width_pixels", "Coded width of the incoming video",
                        tags, kind, x -> x.width() > 0 ? x.width() : Double.NaN);
                g.track(registry, "cascade_ingest_height_pixels", "Coded height of the incoming video",
                        tags, kind, x -> x.height() > 0 ? x.height() : Double.NaN);
            }
        }
        return g;
    }

    private void track(MeterRegistry registry, String name, String description, Tags tags, MediaKind kind,
                       ToDoubleFunction<IngestTrackStats> value) {
        gauge(registry, name, description, tags, s -> {
            IngestTrackStats t = s.track(kind);
            return t == null ? Double.NaN : value.applyAsDouble(t);
        });
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags tags, ToDoubleFunction<IngestStats> value) {
        // Strong reference: the registry would otherwise hold this object weakly and the gauge would read NaN after GC.
        meters.add(Gauge.builder(name, this, g -> {
                    IngestStats s = g.current();
                    return s == null ? Double.NaN : value.applyAsDouble(s);
                })
                .description(description).tags(tags).strongReference(true).register(registry));
    }

    /** The cached snapshot, refreshed (one hop to the media worker) when older than the TTL; null once it is gone. */
    private synchronized IngestStats current() {
        long now = System.nanoTime();
        if (now - takenAt >= ttlNanos) {
            snapshot = source.get().orElse(null);
            takenAt = now;
        }
        return snapshot;
    }

    @Override
    public void remove(MeterRegistry registry) {
        for (Meter m : meters) registry.remove(m);
        meters.clear();
    }
}
