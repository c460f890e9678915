package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.TestPage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Glass-to-glass latency of low-latency HLS in hls.js ({@code lowLatencyMode: true}), by the canvas-clock method: a
 * Chromium page publishes {@code Date.now()} drawn into a canvas over WHIP; the node's tap packages it into parts; a
 * second page plays the master playlist with hls.js and reads the clock back from every presented frame. Also prints
 * how many playlist requests the player makes per second.
 *
 * <p>Run: {@code bench/run LowLatencyHlsLatencyBenchmark --seconds=30 --ladder=source --part=333ms}. {@code --low-latency=0} plays the same stream as plain HLS for comparison;
 * {@code --catch-up=1.2} lets hls.js play up to 1.2x to get back to its target latency.
 */
public final class LowLatencyHlsLatencyBenchmark {
    private LowLatencyHlsLatencyBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 30);
        String ladder = args.text("ladder", "source");
        String part = args.text("part", "333ms");
        boolean lowLatency = args.integer("low-latency", 1) != 0;
        // hls.js plays at 1x by default and never wins back time lost to a stall; above 1 it speeds up to its target.
        double catchUp = args.decimal("catch-up", 1.0);
        CompletableFuture<MediaNode> starting = CompletableFuture.supplyAsync(() -> MediaNode.start("--hls-ladder", ladder, "--hls-part", part));
        try (Chromium browser = Chromium.launch(); MediaNode media = MediaNode.join(starting)) {
            report("ll-hls glass-to-glass: Chromium %s, ladder %s, part %s, hls.js lowLatencyMode %s maxLiveSyncPlaybackRate %.2f, %d s; %s",
                    browser.version(), ladder, part, lowLatency, catchUp, seconds, LoadAverage.now());
            MediaNode.Channel ch = media.createChannel("llg2g");
            Publisher publisher = Publisher.open(browser);
            publisher.publish(ch.whipUrl(), ch.streamKey(), Publisher.Source.CLOCK);
            String master = media.node.url("/hls/" + ch.slug() + "/master.m3u8");
            awaitOk(master);
            TestPage player = browser.openTestPage("hls-player.html", "hlsPlayer");
            player.call("a => window.hlsPlayer.play(a)", Map.of("url", master, "config", Map.of("lowLatencyMode", lowLatency,
                    "maxLiveSyncPlaybackRate", catchUp)));
            Eventually.await("hls.js plays", Duration.ofSeconds(60), () -> stats(player), s -> s.at("/currentTime").asDouble() > 2.0,
                    () -> player.consoleTail() + "\n" + publisher.diagnostics());
            BenchBed.pause(5000); // hls.js settles on its target latency
            player.call("() => window.hlsPlayer.drainClockSamples()", null);
            JsonNode before = stats(player);
            long t0 = System.nanoTime();
            LoadAverage load = LoadAverage.now();
            List<Long> samples = new ArrayList<>();
            StringBuilder trend = new StringBuilder();
            for (int s = 1; s <= seconds; s++) {
                BenchBed.pause(1000);
                List<Long> chunk = new ArrayList<>();
                for (JsonNode n : player.call("() => window.hlsPlayer.drainClockSamples()", null)) chunk.add(n.asLong());
                samples.addAll(chunk);
                if (s % 5 == 0 && !chunk.isEmpty()) trend.append(' ').append(new Distribution(chunk).percentile(50));
            }
            JsonNode after = stats(player);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double playlists = (after.at("/playlistLoads").asLong() - before.at("/playlistLoads").asLong()) / elapsed;
            report("ll-hls glass-to-glass RESULT %s: %s; p50 per second-of-5 trend:%s", lowLatency ? "low-latency" : "plain",
                    new Distribution(samples), trend);
            report("ll-hls playback: level %d of %s, %d parts + %d fragments buffered, hls.js latency %.2f s (target %.2f s), "
                            + "%.2f playlist requests per second, %d clock frames unreadable, errors %s; %s (at start: %s)",
                    after.at("/level").asInt(), after.at("/levels").size(), after.at("/parts").asLong() - before.at("/parts").asLong(),
                    after.at("/fragments").asLong() - before.at("/fragments").asLong(), after.at("/latency").asDouble(),
                    after.at("/targetLatency").asDouble(), playlists,
                    after.at("/clockUnreadable").asLong() - before.at("/clockUnreadable").asLong(), after.at("/errors"), LoadAverage.now(), load);
            player.call("() => window.hlsPlayer.stop()", null);
            publisher.stop();
        }
    }

    private static JsonNode stats(TestPage player) {
        return player.call("() => window.hlsPlayer.stats()", null);
    }

    private static void awaitOk(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " never answered 200");
    }
}
