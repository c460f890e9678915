package live.cascade.api.hls;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.hls.MediaTaps;
import live.cascade.hls.sync.TimestampCorrection;
import live.cascade.hls.sync.TimestampCorrections;
import live.cascade.sfu.params.MediaKind;

/**
 * Publishes the taps' counters as {@code cascade_hls_tap_total{counter="…"}} (packets, queue_dropped_packets,
 * incomplete_frames, segments, ffmpeg_errors, recording_failures, keyframe_requests), plus
 * {@code cascade_hls_taps} (broadcasts tapped now) and {@code cascade_hls_viewers} (active HLS players), and
 * {@code cascade_media_timestamp_corrections_total{track,reason}}: media timestamps the taps corrected before their
 * muxers (two tracks times six reasons: a fixed set of series, nothing per broadcast).
 */
public final class HlsMetrics {
    private HlsMetrics() {}

    public static void bind(MediaTaps taps, HlsViewers viewers, MeterRegistry registry) {
        for (String name : taps.metrics().snapshot().keySet()) {
            FunctionCounter.builder("cascade_hls_tap", taps, t -> t.metrics().snapshot().get(name))
                    .description("HLS/recording tap counters over all broadcasts")
                    .tag("counter", name)
                    .register(registry);
        }
        TimestampCorrections corrections = taps.metrics().timestampCorrections();
        for (MediaKind kind : MediaKind.values()) {
            for (TimestampCorrection reason : TimestampCorrection.values()) {
                FunctionCounter.builder("cascade_media_timestamp_corrections", corrections, c -> c.count(kind, reason))
                        .description("Media timestamps corrected before the recording and HLS muxers")
                        .tag("track", TimestampCorrections.label(kind))
                        .tag("reason", reason.label())
                        .register(registry);
            }
        }
        Gauge.builder("cascade_hls_taps", taps, MediaTaps::activeTaps).description("Broadcasts tapped for HLS, recording or restreaming").register(registry);
        live.cascade.hls.restream.RestreamCounters r = taps.restreamCounters();
        FunctionCounter.builder("cascade_restream_connects", r, live.cascade.hls.restream.RestreamCounters::connects)
                .description("Restream connections that got as far as sending (issue 23)").register(registry);
        FunctionCounter.builder("cascade_restream_failures", r, live.cascade.hls.restream.RestreamCounters::failures)
                .description("Restream attempts that failed (refused, lost, write error); each is retried with back-off").register(registry);
        FunctionCounter.builder("cascade_restream_dropped_frames", r, live.cascade.hls.restream.RestreamCounters::droppedFrames)
                .description("Frames dropped because a restream destination fell behind").register(registry);
        Gauge.builder("cascade_hls_viewers", viewers, HlsViewers::total).description("Active HLS players").register(registry);
    }
}
