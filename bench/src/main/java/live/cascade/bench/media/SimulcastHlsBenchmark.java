package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.config.Setting;
import live.cascade.api.harness.Chromium;
import live.cascade.api.media.Ffprobe;
import live.cascade.api.media.HlsHttp;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static live.cascade.bench.media.BenchBed.report;

/**
 * HLS renditions from simulcast layers ({@code --hls-simulcast copy}, issue 20) against the x264 ladder, with the same
 * publish: Debian's Chromium sends H.264 simulcast from its fake camera at 960x540 (three layers, 200 kbit/s, 600 kbit/s
 * and 1.5 Mbit/s at most), as {@code SimulcastHlsCopyBrowserTest} does.
 *
 * <p>{@code --mode=cpu}: per configuration ({@code copy}: {@code --hls-simulcast copy}; {@code ladder}: the default
 * ladder from the top layer), on a fresh node: after {@code --warmup} seconds, the node process's CPU time
 * ({@code /proc/self/stat} through the JVM: the node runs in this process; Chromium does not) and the tap's threads'
 * ({@code hls-tap-*}, x264's threads included) over {@code --seconds}, divided by the wall time.
 *
 * <p>{@code --mode=align}: copy only, for {@code --seconds}: every second, each rendition's playlist; each segment
 * number all renditions list is fetched once per rendition and probed (its start time, ffprobe); per segment, the
 * spread of the renditions' start times, and each rendition's segment lengths. The node's own figures (keyframe
 * requests to all layers, how often every layer keyed the same picture) are in its log, every 30 s.
 *
 * <p>Run: {@code bench/run SimulcastHlsBenchmark --mode=cpu --seconds=30}, {@code bench/run SimulcastHlsBenchmark --mode=align --seconds=60}.
 */
public final class SimulcastHlsBenchmark {
    private static final List<Map<String, Object>> ENCODINGS = List.of(
            Map.of("rid", "q", "scaleResolutionDownBy", 4, "maxBitrate", 200_000),
            Map.of("rid", "h", "scaleResolutionDownBy", 2, "maxBitrate", 600_000),
            Map.of("rid", "f", "scaleResolutionDownBy", 1, "maxBitrate", 1_500_000));

    private SimulcastHlsBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String mode = args.text("mode", "cpu");
        try (Chromium browser = Chromium.launch()) {
            report("simulcast hls: Chromium %s, mode %s; %s", browser.version(), mode, LoadAverage.now());
            switch (mode) {
                case "cpu" -> {
                    for (String config : args.text("configs", "copy;ladder").split(";")) cpu(browser, config, args);
                }
                case "align" -> align(browser, args);
                default -> throw new IllegalArgumentException("--mode=cpu or --mode=align");
            }
        }
        System.exit(0);
    }

    private static MediaNode node(String config) {
        List<String> a = new ArrayList<>(List.of("--hls-ladder", Setting.HLS_LADDER.defaultValue()));
        if (config.equals("copy")) a.addAll(List.of("--hls-simulcast", "copy"));
        return MediaNode.start(a.toArray(String[]::new));
    }

    private static Publisher publish(Chromium browser, MediaNode node, MediaNode.Channel ch) throws Exception {
        Publisher pub = Publisher.open(browser);
        pub.publish(ch.whipUrl(), ch.streamKey(), Publisher.Source.CAMERA, Map.of("width", 960, "height", 540,
                "encodings", ENCODINGS, "videoCodec", "H264", "contentHint", "detail"));
        URI master = URI.create(node.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        String body = HlsHttp.awaitOk(master, Duration.ofSeconds(60), pub::diagnostics);
        for (HlsHttp.Variant v : HlsHttp.variants(master, body)) {
            report("  rendition %s %s %s, BANDWIDTH %d", v.name(), v.resolution(), v.codecs(), v.bandwidth());
        }
        return pub;
    }

    private static void cpu(Chromium browser, String config, Args args) throws Exception {
        int seconds = args.integer("seconds", 30);
        int warmup = args.integer("warmup", 15);
        try (MediaNode node = node(config)) {
            MediaNode.Channel ch = node.createChannel("cpu");
            Publisher pub = publish(browser, node, ch);
            BenchBed.pause(warmup * 1000L);
            TapCpuWindow w = TapCpuWindow.measure(node, seconds);
            report("simulcast hls cpu RESULT %s: tap threads %.3f cores, whole node process %.3f cores (over %.0f s; packets %d, queue drops %d, segments %d); %s (at start: %s)",
                    config.equals("copy") ? "--hls-simulcast copy" : "--hls-ladder " + Setting.HLS_LADDER.defaultValue() + " (x264 from the top layer)",
                    w.tapCores(), w.processCores(), w.seconds(), w.packets(), w.queueDrops(), w.segments(),
                    LoadAverage.now(), w.loadAtStart());
            JsonNode s = pub.stats();
            report("  publisher: %s frames encoded", s.at("/pc/outbound/video/framesEncoded").asText());
            pub.stop();
        }
    }

    private static void align(Chromium browser, Args args) throws Exception {
        int seconds = args.integer("seconds", 60);
        Path tmp = Files.createTempDirectory("simulcast-align");
        try (MediaNode node = node("copy")) {
            MediaNode.Channel ch = node.createChannel("align");
            Publisher pub = publish(browser, node, ch);
            URI master = URI.create(node.node.url("/hls/" + ch.slug() + "/master.m3u8"));
            List<HlsHttp.Variant> variants = HlsHttp.variants(master, HlsHttp.text(HlsHttp.ok(HlsHttp.get(master))));
            Map<Long, Map<String, double[]>> seen = new TreeMap<>(); // msn -> rendition -> {start, duration}
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (HlsHttp.Variant v : variants) {
                    String playlist = HlsHttp.text(HlsHttp.ok(HlsHttp.get(v.uri())));
                    URI map = HlsHttp.map(v.uri(), playlist);
                    for (HlsHttp.Segment seg : HlsHttp.segments(v.uri(), playlist)) {
                        long n = msn(seg);
                        Map<String, double[]> at = seen.computeIfAbsent(n, k -> new LinkedHashMap<>());
                        if (at.containsKey(v.name())) continue;
                        Path f = HlsHttp.download(map, List.of(seg), tmp.resolve(v.name() + "-" + n + ".mp4"));
                        at.put(v.name(), new double[] {Ffprobe.probe(f).at("/format/start_time").asDouble(), seg.duration()});
                        Files.deleteIfExists(f);
                    }
                }
                BenchBed.pause(1000);
            }
            double worst = 0;
            int complete = 0;
            for (Map.Entry<Long, Map<String, double[]>> e : seen.entrySet()) {
                if (e.getValue().size() < variants.size()) continue;
                complete++;
                double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
                StringBuilder line = new StringBuilder();
                for (Map.Entry<String, double[]> r : e.getValue().entrySet()) {
                    min = Math.min(min, r.getValue()[0]);
                    max = Math.max(max, r.getValue()[0]);
                    line.append(String.format(" %s %.6f (%.2f s)", r.getKey(), r.getValue()[0], r.getValue()[1]));
                }
                worst = Math.max(worst, max - min);
                report("  segment %d: spread %.3f ms;%s", e.getKey(), (max - min) * 1000, line);
            }
            report("simulcast hls align RESULT: %d segments in every rendition over %d s, worst start spread %.3f ms; %s",
                    complete, seconds, worst * 1000, LoadAverage.now());
            pub.stop();
        }
    }

    private static long msn(HlsHttp.Segment s) {
        String path = s.uri().getPath();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1, path.indexOf(".m4s")));
    }
}
