package live.cascade.hls;

import live.cascade.hls.segment.Variant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the tap asks of a publisher that sends keyframes only when asked, as Chromium does (issue 16: every keyframe
 * asked for costs the publisher's WebRTC viewers jitter buffer). The synthetic publisher never answers, so every
 * request the tap would make is counted.
 */
@Timeout(120)
class KeyframeRequestsTest {
    /** 12 s of 640x360 with a keyframe only at the start. */
    static List<SyntheticSource.Coded> video;
    static List<SyntheticSource.Coded> opus;

    @TempDir
    Path dir;

    @BeforeAll
    static void media() {
        video = SyntheticSource.video("libx264", 640, 360, 30, 100_000, 12.0);
        opus = SyntheticSource.opus(12.0);
    }

    private record Run(LiveOutput out, int requests) {
    }

    private Run run(HlsSettings settings) throws Exception {
        SimulatedPublisher pub = new SimulatedPublisher("H264", video, opus, System.nanoTime(), 0, false, false);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/x"), 2);
        AtomicInteger requests = new AtomicInteger();
        TapPipeline p = new TapPipeline(7, "chan", pub.tracks, settings, out.directory(), out, requests::incrementAndGet,
                new TapMetrics(), new RecordingHealth(), Clock.systemUTC());
        try {
            pub.feed(p);
            p.finish();
        } finally {
            p.close();
        }
        return new Run(out, requests.get());
    }

    @Test
    void anEncodedSourceRenditionCutsItsOwnSegmentsAndAsksOnlyForTheRecordingsKeyframeEveryTenSeconds() throws Exception {
        Run r = run(HlsSettings.defaults(dir).withSourceVideo(live.cascade.hls.ladder.SourceVideo.ENCODE));
        List<Variant> variants = r.out().master().orElseThrow().variants();
        assertThat(variants).extracting(v -> v.name() + " " + v.width() + "x" + v.height()).containsExactly("source 640x360");
        assertThat(variants.getFirst().codecs()).as("x264's, not the publisher's baseline").startsWith("avc1.64");
        String playlist = Files.readString(r.out().directory().resolve("source/index.m3u8"));
        List<Double> durations = TapPipelineTest.extinf(playlist);
        assertThat(durations).hasSizeGreaterThanOrEqualTo(5);
        for (double d : durations.subList(0, durations.size() - 1)) assertThat(d).as("segment").isCloseTo(2.0, within(0.1));
        // 12 s with one keyframe: the recording asks at 10 s and again at 11 s (unanswered); HLS asks nothing.
        assertThat(r.requests()).isEqualTo(2);
    }

    @Test
    void aCopiedSourceRenditionAsksBeforeEverySegment() throws Exception {
        Run r = run(HlsSettings.defaults(dir));
        assertThat(r.out().master().orElseThrow().variants()).extracting(Variant::codecs).containsExactly("avc1.42c01e,mp4a.40.2");
        // For the segments at 1.8 s, then every second while unanswered: 1.8, 2.8, ... 11.8 s (11); and, as nothing
        // answers here, the recording's at 10 and 11 s.
        assertThat(r.requests()).isEqualTo(13);
    }

    @Test
    void withLiveHlsOffTheRecordingStillGetsAKeyframeAskedForEveryTenSeconds() throws Exception {
        Run r = run(HlsSettings.defaults(dir).withEnabled(false, true));
        assertThat(r.requests()).isEqualTo(2);
    }
}
