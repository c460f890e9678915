package live.cascade.bench.media;

import live.cascade.api.media.LlHlsPlaylist;
import live.cascade.api.media.MediaNode;
import org.bytedeco.javacpp.Loader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static live.cascade.bench.media.BenchBed.report;

/**
 * CPU cost of low-latency HLS viewers on one node: a node in this JVM, the bundled FFmpeg publishing (640x360 by default) 30 fps
 * H.264 + Opus over WHIP, and {@link LowLatencyHlsLoadClient} in a JVM of its own running N simulated viewers against
 * the source rendition. The node's CPU is measured over the same length of time first without viewers, then with
 * them; the difference is what serving the viewers costs.
 *
 * <p>Run: {@code bench/run LowLatencyHlsViewerLoad --viewers=200 --seconds=30}.
 */
public final class LowLatencyHlsViewerLoad {
    private LowLatencyHlsViewerLoad() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int viewers = args.integer("viewers", 200);
        int seconds = args.integer("seconds", 30);
        String ladder = args.text("ladder", "source");
        // The publisher must keep up with real time on a busy machine, or parts come slower than the clock says.
        String size = args.text("size", "640x360");
        // Every load viewer is on 127.0.0.1 and holds a connection (blocking playlist reloads): lift the per-address cap.
        try (MediaNode media = MediaNode.start("--hls-ladder", ladder, "--connections-per-ip", "1000000")) {
            MediaNode.Channel ch = media.createChannel("llload");
            Process ffmpeg = publish(ch.whipUrl(), ch.streamKey(), size, seconds * 2 + 90);
            try {
                String masterUrl = media.node.url("/hls/" + ch.slug() + "/master.m3u8");
                String master = awaitOk(masterUrl);
                Matcher m = Pattern.compile("\n([^#\n][^\n]*)\n").matcher(master);
                if (!m.find()) throw new IllegalStateException("no variant in " + master);
                String playlist = URI.create(masterUrl).resolve(m.group(1)).toString();
                // Wait until the playlist has parts, then measure the node alone.
                while (LlHlsPlaylist.parse(awaitOk(playlist)).parts().isEmpty()) Thread.sleep(200);
                BenchBed.pause(5000);
                report("ll-hls load: %d viewers for %d s on %s (ladder %s, publisher %s 30 fps); %s", viewers, seconds, playlist, ladder, size, LoadAverage.now());
                double idle = nodeCores(seconds, null);
                report("ll-hls load: node without viewers %.2f cores; %s", idle, LoadAverage.now());
                String[] client = {null};
                double busy = nodeCores(seconds, () -> client[0] = runClient(playlist, viewers, seconds));
                report("ll-hls load RESULT: node with %d viewers %.2f cores, without %.2f: %.3f cores per 100 viewers; client: %s; %s",
                        viewers, busy, idle, (busy - idle) * 100.0 / viewers, client[0], LoadAverage.now());
            } finally {
                // FFmpeg's WHIP muxer can sit out a SIGTERM while its peer is gone; it must not outlive the run.
                ffmpeg.destroy();
                try {
                    if (!ffmpeg.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) ffmpeg.destroyForcibly();
                } catch (InterruptedException e) {
                    ffmpeg.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** This process's CPU (cores) while {@code during} runs, or over {@code seconds} when it is null. */
    private static double nodeCores(int seconds, Runnable during) {
        long cpu0 = LowLatencyHlsLoadClient.cpuNanos();
        long t0 = System.nanoTime();
        if (during == null) BenchBed.pause(seconds * 1000L);
        else during.run();
        return (LowLatencyHlsLoadClient.cpuNanos() - cpu0) / (double) (System.nanoTime() - t0);
    }

    private static String runClient(String playlist, int viewers, int seconds) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("nice", "-n", "19", java, "-cp", System.getProperty("java.class.path"),
                LowLatencyHlsLoadClient.class.getName(), playlist, Integer.toString(viewers), Integer.toString(seconds)).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String result = "";
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) if (line.startsWith("[load]")) result = result.isEmpty() ? line : result + " " + line;
            }
            p.waitFor();
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process publish(String whipUrl, String key, String size, int seconds) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> cmd = List.of("nice", "-n", "19", ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=30", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-bf", "0",
                "-g", "30", "-keyint_min", "30", "-tune", "zerolatency", "-preset", "veryfast", "-b:v", size.startsWith("1280") ? "2500k" : "1000k", "-threads", "2",
                "-c:a", "libopus", "-ar", "48000", "-ac", "2", "-f", "whip", "-authorization", key, whipUrl);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        return pb.start();
    }

    private static String awaitOk(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return r.body();
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " never answered 200");
    }
}
