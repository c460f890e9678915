package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.Ffprobe;
import live.cascade.api.media.HlsHttp;
import live.cascade.api.media.HlsPlayer;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.TestPage;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Figures of the HLS fallback (issue 6), on this machine.
 *
 * <p>{@code --mode=latency}: glass-to-glass latency in hls.js. A Chromium page publishes a canvas showing
 * {@code Date.now()} over WHIP ({@code --source=h264}: the server prefers H.264, and the source rendition is encoded by
 * default ({@code --hls-source auto}), passed through with {@code "--node=--hls-source copy"}; {@code --source=vp8}:
 * everything is re-encoded); another page plays {@code /hls/{slug}/master.m3u8} with
 * hls.js, reads the clock back from every presented frame and subtracts it from its own {@code Date.now()} (same
 * machine, same clock). Once with hls.js defaults (three target durations behind the live edge) and once with the
 * low-latency settings docs/hls.md suggests.
 *
 * <p>{@code --mode=cpu}: CPU of one broadcast's tap. Bundled FFmpeg publishes 1280x720 30 fps H.264 + Opus over WHIP
 * (the end-to-end test's source); after a warm-up, the CPU time of the tap's threads ({@code hls-tap-*}; FFmpeg's own
 * threads inherit that name) over {@code --seconds} is divided by the wall time. Runs once per ladder in
 * {@code --ladders} (default: the default ladder, {@code source} alone, and {@code off}, which leaves only the
 * recording), each on a fresh node, with the source rendition as {@code --hls-source} says (default {@code copy}, as the
 * figures in docs/performance.md were taken before the node's default became {@code auto}; {@code encode} is what a
 * WebRTC publisher now gets).
 *
 * <p>Run: {@code bench/run HlsBenchmark --mode=cpu --seconds=30}.
 */
public final class HlsBenchmark {
    private HlsBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String mode = args.text("mode", "latency");
        switch (mode) {
            case "latency" -> latency(args);
            case "cpu" -> cpu(args);
            default -> throw new IllegalArgumentException("--mode=latency or --mode=cpu");
        }
        System.exit(0); // Playwright and the node's non-daemon threads are closed; don't wait for stragglers
    }

    // ------------------------------------------------------------------ latency

    private static void latency(Args args) throws InterruptedException {
        int seconds = args.integer("seconds", 30);
        String source = args.text("source", "h264");
        try (BenchBed bed = BenchBed.start(args)) {
            report("hls latency: Chromium %s, %s source, %d s per player setting; %s", bed.browser.version(), source, seconds,
                    LoadAverage.now());
            MediaNode.Channel ch = bed.media.createChannel("hlsg2g");
            Publisher publisher = null;
            TestPage vp8 = null;
            if (source.equals("vp8")) {
                vp8 = bed.browser.openTestPage("vp8-publisher.html", "vp8Publisher");
                vp8.call("a => window.vp8Publisher.publish(a)", Map.of("whipUrl", ch.whipUrl(), "key", ch.streamKey()));
            } else {
                publisher = Publisher.open(bed.browser);
                publisher.publish(ch.whipUrl(), ch.streamKey(), Publisher.Source.CLOCK);
            }
            URI master = URI.create(bed.media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
            String body = awaitOk(master, Duration.ofSeconds(60));
            for (HlsHttp.Variant v : HlsHttp.variants(master, body)) {
                report("  rendition %s %s %s, BANDWIDTH %d", v.name(), v.resolution(), v.codecs(), v.bandwidth());
            }
            Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
            settings.put("hls.js defaults", Map.of());
            settings.put("low latency (liveSyncDurationCount=1, liveMaxLatencyDurationCount=4, maxLiveSyncPlaybackRate=1.2)",
                    Map.of("liveSyncDurationCount", 1, "liveMaxLatencyDurationCount", 4, "maxLiveSyncPlaybackRate", 1.2));
            for (var e : settings.entrySet()) {
                HlsPlayer player = HlsPlayer.open(bed.browser);
                try {
                    player.play(master.toString(), e.getValue());
                    Eventually.await("hls.js plays and reads the clock", Duration.ofSeconds(60), player::stats,
                            s -> s.at("/currentTime").asDouble() > 2.0 && s.at("/clockSamples").asInt() > 10, player::diagnostics);
                    BenchBed.pause(6000); // hls.js settles on its live position (and level) first
                    player.drainClockSamples();
                    LoadAverage load = LoadAverage.now();
                    List<Long> samples = new ArrayList<>();
                    StringBuilder trend = new StringBuilder();
                    for (int s = 1; s <= seconds; s++) {
                        BenchBed.pause(1000);
                        List<Long> chunk = player.drainClockSamples();
                        samples.addAll(chunk);
                        if (s % 5 == 0) trend.append(' ').append(new Distribution(samples.subList(Math.max(0, samples.size() - 150), samples.size())).percentile(50));
                    }
                    JsonNode st = player.stats();
                    report("hls latency RESULT %s, %s: %s; playing level %d (%dx%d), hls.js latency estimate %.2f s, unreadable frames %d, errors %s; %s (at start: %s)",
                            source, e.getKey(), new Distribution(samples), st.at("/level").asInt(), st.at("/videoWidth").asInt(),
                            st.at("/videoHeight").asInt(), st.at("/latency").asDouble(), st.at("/clockUnreadable").asLong(),
                            st.at("/errors"), LoadAverage.now(), load);
                    report("  p50 of the last ~5 s, every 5 s (ms):%s", trend);
                    player.stop();
                } finally {
                    player.close();
                }
            }
            if (publisher != null) publisher.stop();
            if (vp8 != null) vp8.call("() => window.vp8Publisher.stop()", null);
        }
    }

    // ------------------------------------------------------------------ cpu

    private static void cpu(Args args) throws Exception {
        int seconds = args.integer("seconds", 30);
        int warmup = args.integer("warmup", 15);
        String sourceVideo = args.text("hls-source", "copy");
        for (String ladder : args.text("ladders", "source,720p,480p,360p;source;off").split(";")) {
            try (MediaNode node = MediaNode.start("--hls-ladder", ladder, "--hls-source", sourceVideo)) {
                MediaNode.Channel ch = node.createChannel("cpu");
                try (FfmpegPublisher ff = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 1280, 720, warmup + seconds + 60)) {
                    URI master = URI.create(node.node.url("/hls/" + ch.slug() + "/master.m3u8"));
                    if (!ladder.equals("off")) awaitOk(master, Duration.ofSeconds(60));
                    BenchBed.pause(warmup * 1000L);
                    TapCpuWindow w = TapCpuWindow.measure(node, seconds);
                    String fps = ladder.equals("off") ? "" : ", " + frameRates(master);
                    report("hls cpu RESULT ladder '%s', source %s, from 1280x720 30 fps H.264 + Opus: tap threads %.3f cores, whole node process %.3f cores "
                                    + "(over %.0f s; packets %d, queue drops %d, segments %d%s); %s (at start: %s)",
                            ladder, sourceVideo, w.tapCores(), w.processCores(), w.seconds(), w.packets(), w.queueDrops(), w.segments(),
                            fps, LoadAverage.now(), w.loadAtStart());
                    if (!ff.diagnostics().contains("running")) report("  publisher: %s", ff.diagnostics());
                }
            }
        }
    }

    /** Frames per second in each rendition's latest segment: below 30, the tap was shedding work. */
    private static String frameRates(URI master) throws Exception {
        StringBuilder out = new StringBuilder("frame rate of the latest segment:");
        Path dir = Files.createTempDirectory("hls-bench");
        try {
            for (HlsHttp.Variant v : HlsHttp.variants(master, HlsHttp.text(HlsHttp.ok(HlsHttp.get(master))))) {
                String playlist = HlsHttp.text(HlsHttp.ok(HlsHttp.get(v.uri())));
                List<HlsHttp.Segment> segs = HlsHttp.segments(v.uri(), playlist);
                List<HlsHttp.Segment> last = segs.subList(segs.size() - 1, segs.size());
                JsonNode video = Ffprobe.stream(Ffprobe.probe(HlsHttp.download(HlsHttp.map(v.uri(), playlist), last,
                        dir.resolve(v.name() + ".mp4"))), "video");
                out.append(String.format(" %s %.1f fps", v.name(), video.at("/nb_read_frames").asDouble() / last.getFirst().duration()));
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return out.toString();
    }

    private static String awaitOk(URI u, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = HlsHttp.get(u);
            if (r.statusCode() == 200) return HlsHttp.text(r);
            last = r.statusCode() + " " + HlsHttp.text(r);
            Thread.sleep(250);
        }
        throw new AssertionError(u + " never answered 200 (last: " + last + ")");
    }
}
