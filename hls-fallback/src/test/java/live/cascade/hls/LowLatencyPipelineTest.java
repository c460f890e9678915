package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.llhls.LowLatencyOutput;
import live.cascade.hls.llhls.LowLatencyRendition;
import live.cascade.hls.llhls.LowLatencySettings;
import live.cascade.hls.llhls.Part;
import live.cascade.hls.record.MediaProbe;
import live.cascade.hls.record.Mp4FragmentIndex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The tap with low-latency HLS on, fed synthetic RTP of a 1280x720 30 fps H.264 + Opus publisher: every rendition's
 * segments are cut into parts by the real FFmpeg muxer; parts are at most the part target, start on keyframes where
 * segments start, concatenate to exactly the segment files the plain output wrote, and decode.
 */
@Timeout(120)
class LowLatencyPipelineTest {
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"(\\d+)\\.(\\d+)\\.m4s\"(,INDEPENDENT=YES)?");

    static List<SyntheticSource.Coded> h264;
    static List<SyntheticSource.Coded> opus;

    @TempDir
    Path dir;

    @BeforeAll
    static void media() {
        h264 = SyntheticSource.video("libx264", 1280, 720, 30, 30, 7.0);
        opus = SyntheticSource.opus(7.0);
    }

    @Test
    void segmentsAreCutIntoPartsThatConcatenateToTheSegmentFiles() throws Exception {
        SimulatedPublisher pub = new SimulatedPublisher("H264", h264, opus, System.nanoTime(), 0, false, false);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/x"), 2);
        LowLatencyOutput ll = new LowLatencyOutput(new LowLatencySettings(Duration.ofMillis(333)), 8);
        out.lowLatency(ll);
        HlsSettings settings = HlsSettings.defaults(dir).withLadder(Rung.parseLadder("source,360p")).withEnabled(true, false);
        TapPipeline p = new TapPipeline(7, "chan", pub.tracks, settings, out.directory(), out, () -> {}, new TapMetrics(),
                new RecordingHealth(), Clock.systemUTC());
        try {
            // Up to 4.5 s of media: mid-segment, the playlist names the part being written as the preload hint.
            long half = pub.events.getFirst().arrivalNanos() + 4_500_000_000L;
            feed(p, pub.events.stream().filter(e -> e.arrivalNanos() < half).toList());
            LowLatencyRendition source = ll.rendition("source").orElseThrow();
            String live = source.render(false, ll.reportsFor("source"));
            Matcher hint = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"(\\d+)\\.(\\d+)\\.m4s\"").matcher(live);
            assertThat(hint.find()).as(live).isTrue();
            Part open = source.part(Long.parseLong(hint.group(1)), Integer.parseInt(hint.group(2))).orElseThrow();
            assertThat(open.complete()).isFalse();
            assertThat(live).contains("#EXT-X-RENDITION-REPORT:URI=\"../360p/index.m3u8\",LAST-MSN=");
            assertThat(live).doesNotContain("#EXT-X-ENDLIST");

            feed(p, pub.events.stream().filter(e -> e.arrivalNanos() >= half).toList());
            p.finish();
        } finally {
            p.close();
        }

        for (String name : List.of("source", "360p")) {
            LowLatencyRendition r = ll.rendition(name).orElseThrow();
            String playlist = r.render(false, List.of());
            Path rd = out.directory().resolve(name);
            assertThat(playlist).contains("#EXT-X-PART-INF:PART-TARGET=0.333").contains("#EXT-X-ENDLIST");
            // The parts listed (the last two segments') and the segments' files.
            List<String> lines = playlist.lines().toList();
            List<Double> partDurations = new ArrayList<>();
            ByteArrayOutputStream parts = new ByteArrayOutputStream();
            int segmentsChecked = 0;
            double listedSeconds = 0;
            int expectedIndex = 0;
            boolean firstOfSegment = true;
            for (int li = 0; li < lines.size(); li++) {
                String line = lines.get(li);
                Matcher m = PART.matcher(line);
                if (m.matches()) {
                    long msn = Long.parseLong(m.group(2));
                    int index = Integer.parseInt(m.group(3));
                    assertThat(index).as(name + " part numbering in " + playlist).isEqualTo(expectedIndex++);
                    if (firstOfSegment) assertThat(m.group(4)).as(name + " segment " + msn + " starts independent").isNotNull();
                    firstOfSegment = false;
                    partDurations.add(Double.parseDouble(m.group(1)));
                    parts.writeBytes(r.part(msn, index).orElseThrow().bytes().bytes());
                } else if (line.startsWith("#EXTINF:") && !partDurations.isEmpty()) {
                    double extinf = Double.parseDouble(line.substring(8, line.indexOf(',')));
                    assertThat(partDurations.stream().mapToDouble(Double::doubleValue).sum()).as(name + " parts add up").isCloseTo(extinf, within(0.004));
                    for (double d : partDurations) assertThat(d).as(name + " part duration").isLessThanOrEqualTo(0.333);
                    for (double d : partDurations.subList(0, partDurations.size() - 1)) {
                        assertThat(d).as(name + " non-final part at least 85 % of the target").isGreaterThanOrEqualTo(0.85 * 0.333);
                    }
                    String uri = lines.get(li + 1);
                    assertThat(java.util.Arrays.equals(parts.toByteArray(), Files.readAllBytes(rd.resolve(uri))))
                            .as(name + " " + uri + " is its parts, byte for byte").isTrue();
                    segmentsChecked++;
                    listedSeconds += extinf;
                    partDurations.clear();
                    parts.reset();
                    expectedIndex = 0;
                    firstOfSegment = true;
                }
            }
            assertThat(segmentsChecked).as(name + " segments with parts listed").isEqualTo(2);

            // Initialization segment + every part of a segment, as a player appends them, decodes.
            Matcher last = Pattern.compile("(?s).*#EXT-X-MAP:URI=\"(init-\\d+\\.mp4)\".*").matcher(playlist);
            assertThat(last.matches()).isTrue();
            Path whole = dir.resolve(name + ".mp4");
            try (var o = Files.newOutputStream(whole)) {
                o.write(Files.readAllBytes(rd.resolve(last.group(1))));
                Matcher m = PART.matcher(playlist);
                while (m.find()) o.write(r.part(Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))).orElseThrow().bytes().bytes());
            }
            MediaProbe.Info info = MediaProbe.probe(whole);
            assertThat(info.videoCodec()).isEqualTo("h264");
            assertThat(info.audioCodec()).isEqualTo("aac");
            // One fragment per frame: 30 per second of video.
            Mp4FragmentIndex idx = Mp4FragmentIndex.read(whole);
            assertThat((double) idx.fragments().size()).as(name + " fragments").isCloseTo(30 * listedSeconds, within(2.0));
        }
    }

    private static void feed(TapPipeline p, List<SimulatedPublisher.Event> events) {
        long lastPoll = Long.MIN_VALUE;
        for (SimulatedPublisher.Event e : events) {
            switch (e) {
                case SimulatedPublisher.Rtp r -> p.onRtp(r.kind(), r.packet(), 0, r.packet().length, r.arrivalNanos());
                case SimulatedPublisher.SenderReport s -> p.onSenderReport(s.kind(), s.ntp(), s.rtpTimestamp(), s.arrivalNanos());
            }
            if (e.arrivalNanos() - lastPoll > 5_000_000L) {
                p.poll(e.arrivalNanos());
                lastPoll = e.arrivalNanos();
            }
        }
    }
}
