package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.record.ClipCutter;
import live.cascade.hls.record.Container;
import live.cascade.hls.record.MediaProbe;
import live.cascade.hls.record.Mp4FragmentIndex;
import live.cascade.hls.segment.Variant;
import live.cascade.hls.sync.AvSync;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole tap pipeline on synthetic RTP (no network, faster than real time): a 1280x720 H.264 + Opus publisher gets
 * the source passed through plus 480p and 360p, all cut at the same instants, and a recording; a VP8 publisher gets
 * everything re-encoded and a WebM recording.
 */
@Timeout(120)
class TapPipelineTest {
    static List<SyntheticSource.Coded> h264;
    static List<SyntheticSource.Coded> vp8;
    static List<SyntheticSource.Coded> opus;

    @TempDir
    Path dir;

    @BeforeAll
    static void media() {
        h264 = SyntheticSource.video("libx264", 1280, 720, 30, 30, 6.0);
        vp8 = SyntheticSource.video("libvpx", 640, 360, 30, 60, 5.0);
        opus = SyntheticSource.opus(6.0);
    }

    private TapPipeline pipeline(SimulatedPublisher pub, HlsSettings settings, LiveOutput out) {
        return new TapPipeline(7, "chan", pub.tracks, settings, out.directory(), out, () -> {}, new TapMetrics(),
                new RecordingHealth(), Clock.systemUTC());
    }

    private HlsSettings settings() {
        return HlsSettings.defaults(dir).withLadder(Rung.parseLadder("source,720p,480p,360p"));
    }

    @Test
    void h264SourceIsPassedThroughAndEncodedDownTheLadderAndRecorded() throws Exception {
        SimulatedPublisher pub = new SimulatedPublisher("H264", h264, opus, System.nanoTime(), 40_000, true, true);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/x"), 2);
        TapPipeline p = pipeline(pub, settings(), out);
        FinishedRecording rec;
        try {
            pub.feed(p);
            rec = p.finish();
        } finally {
            p.close();
        }
        assertThat(p.alignment()).as("aligned by sender reports, OBS's bogus first one ignored").isEqualTo(AvSync.Alignment.SENDER_REPORTS);
        List<Variant> variants = out.master().orElseThrow().variants();
        assertThat(variants).extracting(Variant::name).containsExactly("source", "480p", "360p");
        assertThat(variants).extracting(v -> v.width() + "x" + v.height()).containsExactly("1280x720", "854x480", "640x360");
        assertThat(variants.get(0).codecs()).isEqualTo("avc1.42c01f,mp4a.40.2");
        assertThat(variants.get(1).codecs()).startsWith("avc1.64").endsWith(",mp4a.40.2");
        String master = out.master().orElseThrow().render("?token=t");
        assertThat(master).contains("#EXT-X-STREAM-INF:BANDWIDTH=").contains("RESOLUTION=1280x720").contains("x/source/index.m3u8?token=t");

        for (Variant v : variants) {
            Path rd = out.directory().resolve(v.name());
            String playlist = Files.readString(rd.resolve("index.m3u8"));
            assertThat(playlist).contains("#EXT-X-MAP:URI=\"init-0.mp4\"").contains("#EXT-X-ENDLIST").contains("#EXT-X-PROGRAM-DATE-TIME:");
            List<Double> durations = extinf(playlist);
            assertThat(durations).as(v.name() + " segments").hasSizeGreaterThanOrEqualTo(2);
            for (double d : durations.subList(0, durations.size() - 1)) assertThat(d).as(v.name() + " segment").isCloseTo(2.0, within(0.1));
            Path whole = concat(rd, playlist);
            MediaProbe.Info info = MediaProbe.probe(whole);
            assertThat(info.videoCodec()).isEqualTo("h264");
            assertThat(info.width() + "x" + info.height()).isEqualTo(v.width() + "x" + v.height());
            assertThat(info.audioCodec()).isEqualTo("aac");
            Mp4FragmentIndex idx = Mp4FragmentIndex.read(whole);
            assertThat(idx.durationMicros() / 1e6).as(v.name() + " duration").isCloseTo(5.9, within(0.4));
        }
        // Aligned: every rendition's segments start at the same times.
        List<Long> starts = segmentStarts(out.directory().resolve("source"));
        assertThat(segmentStarts(out.directory().resolve("480p"))).isEqualTo(starts);
        assertThat(segmentStarts(out.directory().resolve("360p"))).isEqualTo(starts);
        assertThat(out.thumbnail()).isPresent();
        assertThat(Files.size(out.thumbnail().get())).isGreaterThan(1000);

        assertThat(rec).isNotNull();
        assertThat(rec.result().failed()).isFalse();
        assertThat(rec.result().container()).isEqualTo(Container.MP4);
        assertThat(rec.thumbnail()).exists();
        MediaProbe.Info ri = MediaProbe.probe(rec.result().file());
        assertThat(ri.videoCodec()).isEqualTo("h264");
        assertThat(ri.audioCodec()).isEqualTo("opus");
        assertThat(ri.width()).isEqualTo(1280);
        assertThat(rec.result().durationMicros() / 1e6).isCloseTo(6.0, within(0.3));
        Mp4FragmentIndex ridx = Mp4FragmentIndex.read(rec.result().file());
        assertThat(ridx.fragments()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ridx.durationMicros() / 1e6).isCloseTo(6.0, within(0.3));

        ClipCutter.Clip clip = ClipCutter.cut(rec.result().file(), dir.resolve("clip/clip.mp4"), 2_500_000, 4_500_000);
        assertThat(clip.startMicros()).isBetween(1_400_000L, 2_500_000L); // the keyframe at or before 2.5 s (GOP 1 s)
        assertThat(clip.durationMicros() / 1e6).isCloseTo(2.0, within(1.05));
        MediaProbe.Info ci = MediaProbe.probe(clip.file());
        assertThat(ci.videoCodec()).isEqualTo("h264");
        assertThat(ci.durationMicros() / 1e6).isCloseTo(clip.durationMicros() / 1e6, within(0.2));
    }

    @Test
    void vp8SourceIsReEncodedAndRecordedAsWebm() throws Exception {
        SimulatedPublisher pub = new SimulatedPublisher("VP8", vp8, opus.subList(0, 250), System.nanoTime(), 0, false, false);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/y"), 2);
        TapPipeline p = pipeline(pub, settings(), out);
        FinishedRecording rec;
        try {
            pub.feed(p);
            rec = p.finish();
        } finally {
            p.close();
        }
        List<Variant> variants = out.master().orElseThrow().variants();
        assertThat(variants).extracting(Variant::name).containsExactly("source");
        assertThat(variants.getFirst().width()).isEqualTo(640);
        assertThat(variants.getFirst().codecs()).startsWith("avc1.").endsWith("mp4a.40.2");
        Path rd = out.directory().resolve("source");
        MediaProbe.Info info = MediaProbe.probe(concat(rd, Files.readString(rd.resolve("index.m3u8"))));
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.height()).isEqualTo(360);
        assertThat(rec.result().container()).isEqualTo(Container.WEBM);
        MediaProbe.Info ri = MediaProbe.probe(rec.result().file());
        assertThat(ri.videoCodec()).isEqualTo("vp8");
        assertThat(ri.audioCodec()).isEqualTo("opus");
        assertThat(ri.durationMicros() / 1e6).isCloseTo(5.0, within(0.3));
    }

    @Test
    void aReconnectContinuesThePlaylistsWithADiscontinuity() throws Exception {
        long t0 = System.nanoTime();
        SimulatedPublisher first = new SimulatedPublisher("H264", h264.subList(0, 90), opus.subList(0, 150), t0, 0, false, false);
        SimulatedPublisher second = new SimulatedPublisher("H264", h264.subList(0, 120), opus.subList(0, 200), t0 + 8_000_000_000L, 0, false, false);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/z"), 2);
        TapPipeline p = pipeline(first, settings(), out);
        FinishedRecording rec;
        try {
            first.feed(p);
            p.onPublisherAttached();
            second.feed(p);
            rec = p.finish();
        } finally {
            p.close();
        }
        String playlist = Files.readString(out.directory().resolve("source/index.m3u8"));
        assertThat(playlist).contains("#EXT-X-DISCONTINUITY").contains("init-1.mp4");
        String encoded = Files.readString(out.directory().resolve("480p/index.m3u8"));
        assertThat(encoded).contains("#EXT-X-DISCONTINUITY");
        // One recording across the reconnect: 3 s + 4 s, without the gap between them.
        assertThat(rec.result().durationMicros() / 1e6).isCloseTo(7.0, within(0.4));
        assertThat(MediaProbe.probe(rec.result().file()).durationMicros() / 1e6).isCloseTo(7.0, within(0.4));
    }

    @Test
    void aPublisherThatChangesItsPictureSizeGetsANewInitSegmentInTheSourceRendition() throws Exception {
        // Chromium lowers its resolution under load without a new stream: 3 s at 1280x720, then 640x360, one RTP stream.
        List<SyntheticSource.Coded> video = new java.util.ArrayList<>(h264.subList(0, 90));
        for (SyntheticSource.Coded c : SyntheticSource.video("libx264", 640, 360, 30, 30, 3.0)) {
            video.add(new SyntheticSource.Coded(c.data(), c.ticks() + 270_000, c.keyframe()));
        }
        SimulatedPublisher pub = new SimulatedPublisher("H264", video, opus, System.nanoTime(), 0, false, false);
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/s"), 2);
        TapPipeline p = pipeline(pub, settings(), out);
        try {
            pub.feed(p);
            p.finish();
        } finally {
            p.close();
        }
        Path rd = out.directory().resolve("source");
        String playlist = Files.readString(rd.resolve("index.m3u8"));
        assertThat(playlist).contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"");
        // What follows the discontinuity decodes with its own initialization segment, at the new size.
        String after = playlist.substring(playlist.indexOf("#EXT-X-DISCONTINUITY"));
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(Files.readAllBytes(rd.resolve("init-1.mp4")));
        for (String line : after.split("\n")) if (line.endsWith(".m4s")) all.write(Files.readAllBytes(rd.resolve(line)));
        Path f = rd.resolve("after.mp4");
        Files.write(f, all.toByteArray());
        MediaProbe.Info info = MediaProbe.probe(f);
        assertThat(info.width() + "x" + info.height()).isEqualTo("640x360");
        // The track header of the new initialization segment says so too (tkhd width/height, 16.16 fixed point).
        byte[] init = Files.readAllBytes(rd.resolve("init-1.mp4"));
        int tkhd = new String(init, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("tkhd");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(init);
        int version = init[tkhd + 4];
        int sizeAt = tkhd + 4 + 4 + (version == 1 ? 8 + 8 + 4 + 4 + 8 : 4 + 4 + 4 + 4 + 4) + 8 + 2 + 2 + 2 + 2 + 36;
        assertThat(b.getInt(sizeAt) >>> 16).isEqualTo(640);
        assertThat(b.getInt(sizeAt + 4) >>> 16).isEqualTo(360);
        assertThat(Mp4FragmentIndex.read(f).durationMicros() / 1e6).as("3 s after the change").isCloseTo(3.0, within(0.3));
        // The encoded renditions keep their sizes and cut at the same instant.
        assertThat(segmentStarts(out.directory().resolve("480p"))).containsAll(List.of(30L));
        assertThat(MediaProbe.probe(concat(out.directory().resolve("480p"), Files.readString(out.directory().resolve("480p/index.m3u8")))).height())
                .isEqualTo(480);
    }

    @Test
    void corruptAndTruncatedFramesDoNotStopThePipeline() throws Exception {
        SimulatedPublisher pub = new SimulatedPublisher("H264", h264, opus, System.nanoTime(), 0, false, false);
        // From 2 s to 3.5 s of video: every 5th packet lost (frames truncated mid FU-A) and every 7th packet's payload
        // overwritten with noise (corrupt NAL units the decoders must survive).
        java.util.Random noise = new java.util.Random(42);
        long from = pub.events.getFirst().arrivalNanos() + 2_000_000_000L;
        long to = from + 1_500_000_000L;
        int damaged = 0;
        java.util.Iterator<SimulatedPublisher.Event> it = pub.events.iterator();
        for (int i = 0; it.hasNext(); i++) {
            if (!(it.next() instanceof SimulatedPublisher.Rtp r) || r.kind() != live.cascade.sfu.params.MediaKind.VIDEO) continue;
            if (r.arrivalNanos() < from || r.arrivalNanos() > to) continue;
            if (i % 5 == 0) {
                it.remove();
                damaged++;
            } else if (i % 7 == 0) {
                for (int b = 12; b < r.packet().length; b++) r.packet()[b] = (byte) noise.nextInt();
                damaged++;
            }
        }
        assertThat(damaged).isGreaterThan(20);
        TapMetrics metrics = new TapMetrics();
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/c"), 2);
        TapPipeline p = new TapPipeline(7, "chan", pub.tracks, settings(), out.directory(), out, () -> {}, metrics,
                new RecordingHealth(), Clock.systemUTC());
        FinishedRecording rec;
        try {
            pub.feed(p);
            rec = p.finish();
        } finally {
            p.close();
        }
        assertThat(metrics.snapshot().get("incomplete_frames")).as("truncated frames dropped and counted").isPositive();
        // Every rendition went on after the damage, to the end of the 6 s broadcast.
        for (String r : List.of("source", "480p", "360p")) {
            Path rd = out.directory().resolve(r);
            String playlist = Files.readString(rd.resolve("index.m3u8"));
            assertThat(playlist).contains("#EXT-X-ENDLIST");
            Mp4FragmentIndex idx = Mp4FragmentIndex.read(concat(rd, playlist));
            assertThat(idx.durationMicros() / 1e6).as(r + " timeline in " + playlist).isCloseTo(5.9, within(0.5));
            assertThat(MediaProbe.probe(concat(rd, playlist)).videoCodec()).isEqualTo("h264");
        }
        assertThat(rec.result().failed()).isFalse();
        assertThat(MediaProbe.probe(rec.result().file()).durationMicros() / 1e6).isCloseTo(6.0, within(0.4));
    }

    @Test
    void aFullDiskStopsTheRecordingAndReportsItWhileLiveHlsContinues() throws Exception {
        Path full = Path.of("/dev/full");
        if (!Files.exists(full)) throw new AssertionError("/dev/full is needed to simulate a full disk (Linux)");
        SimulatedPublisher pub = new SimulatedPublisher("H264", h264, opus, System.nanoTime(), 0, false, false);
        TapMetrics metrics = new TapMetrics();
        RecordingHealth health = new RecordingHealth();
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/f"), 2);
        TapPipeline p = new TapPipeline(7, "chan", pub.tracks, settings(), out.directory(), out, () -> {}, metrics, health,
                Clock.systemUTC());
        p.recordingTarget = ignored -> full; // every write fails with ENOSPC, as on a full disk
        FinishedRecording rec;
        RecordingHealth.Status during;
        RecordingState state;
        try {
            pub.feed(p);
            during = health.status();
            state = p.recordingState();
            rec = p.finish();
        } finally {
            p.close();
        }
        assertThat(during.healthy()).as("unhealthy while the broadcast lasts").isFalse();
        assertThat(during.diskFull()).isTrue();
        assertThat(state.phase()).as("the studio shows it stopped, and why").isEqualTo(RecordingState.Phase.STOPPED);
        assertThat(state.error()).containsIgnoringCase("space");
        assertThat(during.lastError()).contains("channel chan").containsIgnoringCase("space");
        assertThat(metrics.snapshot().get("recording_failures")).isEqualTo(1);
        assertThat(rec.result().failed()).isTrue();
        assertThat(rec.result().diskFull()).isTrue();
        assertThat(health.status().healthy()).as("healthy again once that broadcast ended").isTrue();
        // Live HLS, written elsewhere, went on.
        assertThat(out.master()).isPresent();
        String playlist = Files.readString(out.directory().resolve("source/index.m3u8"));
        assertThat(extinf(playlist).stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(5.9, within(0.4));
    }

    static List<Double> extinf(String playlist) {
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
        List<Double> out = new java.util.ArrayList<>();
        while (m.find()) out.add(Double.parseDouble(m.group(1)));
        return out;
    }

    /** The rendition's init segment and all its segments in one file, as a player would append them. */
    static Path concat(Path renditionDir, String playlist) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(Files.readAllBytes(renditionDir.resolve("init-0.mp4")));
        for (String line : playlist.split("\n")) {
            if (line.endsWith(".m4s")) all.write(Files.readAllBytes(renditionDir.resolve(line)));
        }
        Path f = renditionDir.resolve("all.mp4");
        Files.write(f, all.toByteArray());
        return f;
    }

    static List<Long> segmentStarts(Path renditionDir) throws IOException {
        String playlist = Files.readString(renditionDir.resolve("index.m3u8"));
        Mp4FragmentIndex idx = Mp4FragmentIndex.read(concat(renditionDir, playlist));
        return idx.fragments().stream().map(f -> Math.round(idx.seconds(f.startTicks()) * 10)).toList();
    }
}
