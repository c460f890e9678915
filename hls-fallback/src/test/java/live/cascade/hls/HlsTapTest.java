package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.sfu.params.MediaKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The tap as the router sees it: a sink that never makes the media worker wait. */
@Timeout(60)
class HlsTapTest {
    @TempDir
    Path dir;

    @Test
    void aTapThatFallsBehindDropsTheOldestPacketsWithoutBlockingAndCountsThemForMetrics() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 30, 2.0);
        SimulatedPublisher pub = new SimulatedPublisher("H264", video, null, System.nanoTime(), 0, false, false);
        int capacity = 16;
        HlsSettings d = HlsSettings.defaults(dir);
        HlsSettings settings = new HlsSettings(d.hlsRoot(), d.recordingsRoot(), Rung.parseLadder("source"), d.encoder(), d.preset(),
                d.segmentTarget(), d.window(), d.thumbnailInterval(), true, true, capacity, d.maxFrameRate(), d.audioBitRate(),
                Duration.ZERO, d.jumpThreshold());
        TapMetrics metrics = new TapMetrics();
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/t"), 2);
        AtomicReference<FinishedRecording> finished = new AtomicReference<>();
        HlsTap tap = new HlsTap(7, "chan", pub.tracks, settings, out, () -> {}, metrics, new RecordingHealth(), Clock.systemUTC(),
                finished::set, t -> {});
        // The tap's thread is not running yet: a tap stuck in FFmpeg. The worker's calls still return at once.
        List<SimulatedPublisher.Rtp> packets = pub.events.stream().filter(e -> e instanceof SimulatedPublisher.Rtp)
                .map(e -> (SimulatedPublisher.Rtp) e).limit(100).toList();
        assertThat(packets).hasSize(100);
        for (SimulatedPublisher.Rtp r : packets) tap.onRtp(MediaKind.VIDEO, r.packet(), 0, r.packet().length);
        assertThat(tap.queueDrops()).isEqualTo(100 - capacity);

        tap.start();
        tap.close();
        assertThat(tap.await(30_000)).as("the tap finishes what is queued and stops").isTrue();
        assertThat(metrics.snapshot().get("queue_dropped_packets")).isEqualTo(100 - capacity);
        assertThat(metrics.snapshot().get("packets")).as("the newest packets were kept").isEqualTo(capacity);
    }
}
