package live.cascade.api.qoe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.qoe.QoeReport.Protocol;
import live.cascade.api.qoe.QoeReport.QoeError;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The node-wide QoE series: a startup-time histogram and counters by protocol (webrtc, hls), errors by code, refused
 * beacons by reason. Every label comes from a closed set, so the series count is fixed (about 60) whatever the
 * audience; per-channel figures are {@link ChannelQoeGauges}' (live channels only) and the analytics API's.
 */
final class QoeMetrics {
    /** Bucket bounds of the startup histogram, seconds: sub-second WebRTC up to a slow HLS start. */
    static final Duration[] STARTUP_BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(30)};

    enum Refusal { INVALID, TOO_LARGE, RATE_LIMITED, UNKNOWN_CHANNEL }

    private record ByProtocol(Timer startup, Counter beacons, Counter watch, Counter rebufferSeconds,
                              Counter rebuffers, Counter decoded, Counter dropped, Counter layerSwitches) {
    }

    private final Map<Protocol, ByProtocol> byProtocol = new EnumMap<>(Protocol.class);
    private final Map<QoeError, Counter> errors = new EnumMap<>(QoeError.class);
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

    QoeMetrics(MeterRegistry registry) {
        for (Protocol p : Protocol.values()) {
            String tag = p.label();
            byProtocol.put(p, new ByProtocol(
                    // A Timer, not a DistributionSummary: a summary's fixed buckets take values rounded up to whole numbers.
                    Timer.builder("cascade_qoe_startup")
                            .description("Players' time from starting to connect to the first decoded frame (one per playback)")
                            .serviceLevelObjectives(STARTUP_BUCKETS).tag("protocol", tag).register(registry),
                    counter(registry, "cascade_qoe_beacons_total", "QoE beacons taken", tag),
                    counter(registry, "cascade_qoe_watch_seconds_total", "Seconds players played (stalls included)", tag),
                    counter(registry, "cascade_qoe_rebuffer_seconds_total", "Seconds players stalled after their first frame", tag),
                    counter(registry, "cascade_qoe_rebuffers_total", "Stalls after the first frame", tag),
                    Counter.builder("cascade_qoe_frames_total").description("Video frames players decoded or dropped")
                            .tag("protocol", tag).tag("outcome", "decoded").register(registry),
                    Counter.builder("cascade_qoe_frames_total").description("Video frames players decoded or dropped")
                            .tag("protocol", tag).tag("outcome", "dropped").register(registry),
                    counter(registry, "cascade_qoe_layer_switches_total", "Changes of the played rendition or resolution", tag)));
        }
        for (QoeError e : QoeError.values()) {
            errors.put(e, Counter.builder("cascade_qoe_errors_total").description("Player errors by code")
                    .tag("error", e.label).register(registry));
        }
        for (Refusal r : Refusal.values()) {
            refused.put(r, Counter.builder("cascade_qoe_beacons_refused_total").description("QoE beacons refused, by reason")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String protocol) {
        return Counter.builder(name).description(description).tag("protocol", protocol).register(registry);
    }

    void record(QoeReport r) {
        ByProtocol m = byProtocol.get(r.protocol());
        m.beacons().increment();
        r.startupMs().ifPresent(ms -> m.startup().record(Duration.ofMillis(ms)));
        m.watch().increment(r.watchMs() / 1000.0);
        m.rebufferSeconds().increment(r.rebufferMs() / 1000.0);
        m.rebuffers().increment(r.rebuffers());
        m.decoded().increment(r.framesDecoded());
        m.dropped().increment(r.framesDropped());
        m.layerSwitches().increment(r.layerSwitches());
        for (QoeError e : r.errors()) errors.get(e).increment();
    }

    void refused(Refusal reason) {
        refused.get(reason).increment();
    }
}
