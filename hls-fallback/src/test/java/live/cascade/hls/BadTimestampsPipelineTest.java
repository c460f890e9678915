package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.record.MediaProbe;
import live.cascade.hls.record.Mp4FragmentIndex;
import live.cascade.hls.sync.TimestampCorrection;
import live.cascade.hls.sync.TimestampCorrections;
import live.cascade.sfu.params.MediaKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 17 through the real pipeline (RTP in, FFmpeg muxing, in process, time simulated by timestamps): a publisher
 * whose Opus track repeats one RTP timestamp every 10 s and whose video clock jumps back 20 s once (a looping source)
 * used to stop the recording at the first repeat ({@code write packet: Invalid argument (-22)}) and to freeze the
 * video after the jump. Now the recording runs to the end, keeps changing, and reads without errors, and the HLS
 * renditions keep advancing.
 */
@Timeout(300)
class BadTimestampsPipelineTest {
    static final double SECONDS = 25.0;

    @TempDir
    Path dir;

    @Test
    void repeatedAudioTimestampsAndAVideoClockJumpNeitherStopNorFreezeTheRecordingOrHls() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 640, 360, 30, 30, SECONDS);
        List<SyntheticSource.Coded> opus = SyntheticSource.opus(SECONDS);
        SimulatedPublisher pub = new SimulatedPublisher("H264", video, opus, System.nanoTime(), 0, false, false);
        long t0 = pub.events.getFirst().arrivalNanos();
        assertThat(pub.repeatTimestamps(MediaKind.AUDIO, 10_000_000_000L)).as("repeats at 10 s and 20 s").isEqualTo(2);
        assertThat(pub.jumpClock(MediaKind.VIDEO, t0 + 12_000_000_000L, -20L * 90_000, false)).isPositive();

        TapMetrics metrics = new TapMetrics();
        RecordingHealth health = new RecordingHealth();
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/b"), 2);
        HlsSettings settings = HlsSettings.defaults(dir).withLadder(Rung.parseLadder("source,240p"));
        TapPipeline p = new TapPipeline(7, "chan", pub.tracks, settings, out.directory(), out, () -> {}, metrics, health, Clock.systemUTC());
        FinishedRecording rec;
        RecordingState during;
        try {
            pub.feed(p);
            during = p.recordingState();
            rec = p.finish();
        } finally {
            p.close();
        }

        // Every correction seen, by its counter.
        TimestampCorrections c = metrics.timestampCorrections();
        assertThat(c.count(MediaKind.AUDIO, TimestampCorrection.DUPLICATE)).as("audio/duplicate").isEqualTo(2);
        assertThat(c.count(MediaKind.VIDEO, TimestampCorrection.JUMP_BACKWARD)).as("video/jump_backward").isEqualTo(1);
        assertThat(c.nonZero()).as("nothing else").containsOnlyKeys("audio/duplicate", "video/jump_backward");

        // What the studio showed while live: recording, nothing to recover from, three corrections.
        assertThat(during).isEqualTo(new RecordingState(RecordingState.Phase.RECORDING, 0, 0, null, null, 3));

        // The recording ran to the end: one part, no error, the broadcast's duration within 1 s.
        assertThat(rec.result().failed()).as(rec.result().error()).isFalse();
        assertThat(metrics.snapshot()).containsEntry("recording_failures", 0L).containsEntry("recording_dropped_packets", 0L);
        assertThat(health.status().lastError()).isNull();
        assertThat(rec.result().parts()).hasSize(1);
        Path file = rec.result().file();
        assertThat(MediaProbe.probe(file).durationMicros() / 1e6).isCloseTo(SECONDS, within(1.0));
        assertThat(Mp4FragmentIndex.read(file).durationMicros() / 1e6).isCloseTo(SECONDS, within(1.0));

        // It reads to the end without errors, and its picture keeps changing: start, before the jump, after it,
        // middle, a second before the end, the end. A frozen or empty stretch would make two of them equal.
        long[] at = {500_000, 11_500_000, 12_500_000, 18_000_000, 23_500_000, 24_500_000};
        DecodedMedia m = DecodedMedia.read(file, at);
        assertThat(m.decodeErrors).isZero();
        assertThat(m.nonIncreasingDts).isZero();
        assertThat(m.videoFrames).isBetween((int) (SECONDS * 30) - 30, (int) (SECONDS * 30) + 1);
        assertThat(m.audioFrames).isBetween((int) (SECONDS * 50) - 30, (int) (SECONDS * 50) + 1);
        assertThat(m.lastVideoPtsMicros / 1e6).isCloseTo(SECONDS, within(1.0));
        assertThat(m.pictures).extracting(DecodedMedia.Picture::ptsMicros).hasSize(at.length);
        for (int i = 0; i < m.pictures.size(); i++) {
            assertThat(m.pictures.get(i).ptsMicros()).isBetween(at[i], at[i] + 100_000);
            for (int j = i + 1; j < m.pictures.size(); j++) {
                assertThat(m.pictures.get(i).difference(m.pictures.get(j))).as("picture at %d µs vs %d µs", at[i], at[j]).isGreaterThan(2.0);
            }
        }

        // Both HLS renditions advanced to the end: 2 s segments one after another, the last one starting after 22 s.
        for (String r : List.of("source", "240p")) {
            Path rd = out.directory().resolve(r);
            String playlist = Files.readString(rd.resolve("index.m3u8"));
            assertThat(playlist).contains("#EXT-X-ENDLIST").doesNotContain("#EXT-X-DISCONTINUITY");
            Matcher seq = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
            assertThat(seq.find()).isTrue();
            int listed = TapPipelineTest.extinf(playlist).size();
            assertThat(Integer.parseInt(seq.group(1)) + listed).as(r + " segments made").isGreaterThanOrEqualTo(12);
            List<Long> starts = TapPipelineTest.segmentStarts(rd);
            for (int i = 1; i < starts.size(); i++) assertThat(starts.get(i) - starts.get(i - 1)).as(r + " starts " + starts).isBetween(15L, 25L);
            assertThat(starts.getLast()).as(r + " last segment start (tenths of a second)").isGreaterThanOrEqualTo(220L);
        }
    }
}
