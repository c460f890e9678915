package live.cascade.api.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.sfu.dtls.HandshakeSlots;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.receive.Stage;
import live.cascade.sfu.receive.StageTotals;
import live.cascade.sfu.bwe.BweTotals;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.Refusal;

import java.util.Map;

/**
 * Publishes the media plane's packet counters (received, sent, and every named drop reason) as
 * {@code cascade_media_packets_total{counter="…"}}, and the routers' receive pipeline per stage as
 * {@code cascade_media_stage_packets_total{stage="…",outcome="in"|"out"|"drop"}}. A scrape reads one snapshot of all
 * workers, not one per series.
 */
public final class MediaMetrics {
    private final MediaEngine engine;
    private volatile Map<String, Long> snapshot;
    private volatile long takenAt;

    private MediaMetrics(MediaEngine engine) {
        this.engine = engine;
        this.snapshot = engine.counters();
        this.takenAt = System.nanoTime();
    }

    /**
     * Registers the packet counters and returns their source. Micrometer holds a FunctionCounter's source only weakly,
     * so the caller must keep the returned object for as long as the engine runs: once collected, every series reads 0.
     */
    public static MediaMetrics bind(MediaEngine engine, MeterRegistry registry) {
        MediaMetrics m = new MediaMetrics(engine);
        for (String name : m.snapshot.keySet()) {
            FunctionCounter.builder("cascade_media_packets", m, x -> x.value(name))
                    .description("Media plane packet counters and drops by reason")
                    .tag("counter", name)
                    .register(registry);
        }
        bindStages(StageTotals.process(), registry);
        bindViewerBwe(BweTotals.process(), registry);
        return m;
    }

    /**
     * Per-viewer bandwidth estimation without per-viewer labels: {@code cascade_viewer_bwe_viewers{estimate}} (viewers
     * whose estimate is in each bucket now, {@code unknown} before feedback), and since start
     * {@code cascade_viewer_bwe_probes_total}, {@code cascade_viewer_bwe_padding_packets_total} and
     * {@code cascade_viewer_pacer_drops_total}. Updated on the routers' tick.
     */
    public static void bindViewerBwe(BweTotals totals, MeterRegistry registry) {
        for (int b = 0; b < BweTotals.buckets(); b++) {
            int bucket = b;
            Gauge.builder("cascade_viewer_bwe_viewers", totals, t -> t.viewers(bucket))
                    .description("WHEP viewers by bandwidth estimate toward them (bit/s bucket)")
                    .tag("estimate", BweTotals.label(bucket)).register(registry);
        }
        FunctionCounter.builder("cascade_viewer_bwe_probes", totals, BweTotals::probes)
                .description("Probe clusters sent to test viewers' links for headroom").register(registry);
        FunctionCounter.builder("cascade_viewer_bwe_padding_packets", totals, BweTotals::paddingPackets)
                .description("Padding-only RTX packets sent in probe clusters").register(registry);
        FunctionCounter.builder("cascade_viewer_pacer_drops", totals, BweTotals::pacerDrops)
                .description("Packets the per-viewer pacers dropped because their queue was full").register(registry);
    }

    /**
     * {@code cascade_media_stage_packets_total{stage, outcome}}: what each stage of the routers' receive pipeline was
     * given ({@code in}), passed on ({@code out}; for {@code fan_out}, the copies handed to viewers and sinks) and
     * dropped, summed over every router since start. Routers add their counts on each tick, so a series lags by one
     * tick. Labels are bounded: {@link Stage} × three outcomes.
     */
    public static void bindStages(StageTotals totals, MeterRegistry registry) {
        for (Stage stage : Stage.values()) {
            stageCounter(registry, totals, stage, "in", t -> t.in(stage));
            stageCounter(registry, totals, stage, "out", t -> t.out(stage));
            stageCounter(registry, totals, stage, "drop", t -> t.dropped(stage));
        }
    }

    private static void stageCounter(MeterRegistry registry, StageTotals totals, Stage stage, String outcome,
                                     java.util.function.ToDoubleFunction<StageTotals> read) {
        FunctionCounter.builder("cascade_media_stage_packets", totals, read)
                .description("Publisher packets per receive pipeline stage: in, out (fan_out: copies) and dropped")
                .tag("stage", stage.label())
                .tag("outcome", outcome)
                .register(registry);
    }

    /**
     * The node's DTLS handshake slots (docs/threading.md): {@code cascade_dtls_handshakes_waiting} (handshakes queued
     * for a slot now: the queue depth), {@code cascade_dtls_handshake_slots_held} (slots held now, by handshakes
     * between two flights), {@code cascade_dtls_handshake_slots} (the bound) and {@code cascade_dtls_handshake_wait_seconds_total} (time
     * spent queued, summed over handshakes). No per-session label.
     */
    public static void bindHandshakes(HandshakeSlots slots, MeterRegistry registry) {
        Gauge.builder("cascade_dtls_handshakes_waiting", slots, HandshakeSlots::waiting)
                .description("DTLS handshakes waiting for a handshake slot now").register(registry);
        Gauge.builder("cascade_dtls_handshake_slots_held", slots, HandshakeSlots::busy)
                .description("DTLS handshake slots held now, by handshakes working between two flights").register(registry);
        Gauge.builder("cascade_dtls_handshake_slots", slots, HandshakeSlots::slots)
                .description("DTLS handshakes that may work at once on this node").register(registry);
        FunctionCounter.builder("cascade_dtls_handshake_wait_seconds", slots, HandshakeSlots::waitedSeconds)
                .description("Time DTLS handshakes spent waiting for a handshake slot, summed").register(registry);
    }

    /** {@code cascade_signaling_refusals_total{reason="MALFORMED"|"UNPROCESSABLE"|…}}: WHIP/WHEP requests refused, by reason. */
    public static void bindRefusals(BroadcastService broadcasts, MeterRegistry registry) {
        for (Refusal.Reason reason : Refusal.Reason.values()) {
            FunctionCounter.builder("cascade_signaling_refusals", broadcasts, b -> b.refusals(reason))
                    .description("WHIP/WHEP offers, trickle fragments and session requests refused, by reason")
                    .tag("reason", reason.name())
                    .register(registry);
        }
    }

    /**
     * {@code cascade_media_sessions{kind="publisher"|"viewer"}}: WHIP and WHEP sessions open now (connected or still
     * setting up), the load figure an operator or a placement layer steers by (docs/performance.md, capacity).
     */
    public static void bindSessions(BroadcastService broadcasts, MeterRegistry registry) {
        Gauge.builder("cascade_media_sessions", broadcasts, BroadcastService::publisherSessions)
                .description("WHIP/WHEP sessions open now, by kind").tag("kind", "publisher").register(registry);
        Gauge.builder("cascade_media_sessions", broadcasts, BroadcastService::viewerSessions)
                .description("WHIP/WHEP sessions open now, by kind").tag("kind", "viewer").register(registry);
    }

    private double value(String name) {
        if (System.nanoTime() - takenAt > 500_000_000L) {
            snapshot = engine.counters();
            takenAt = System.nanoTime();
        }
        Long v = snapshot.get(name);
        return v == null ? 0 : v;
    }
}
