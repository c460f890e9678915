package live.cascade.bench.media;

import live.cascade.api.NodeProcess;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode.Account;
import live.cascade.api.harness.Chromium;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Glass-to-glass through one relay hop against direct (issue 21; goal: the hop adds at most 5 ms at p50 on loopback).
 * Two node processes, an origin and an edge, share the local PostgreSQL (a schema of their own) and Redis (a namespace
 * of their own), as a fleet does. One Chromium publisher on the origin draws {@code Date.now()} into its canvas for the
 * whole run; each round plays it with the clock read back (as {@link GlassToGlassBenchmark} does) once directly from
 * the origin and once from the edge, which relays it from the origin (placement names the origin; the edge pulls one
 * relay session and fans out from its own router). The two paths alternate, and swap order every round, so both see
 * the same drift in machine load. Each round prints both distributions and the difference; the end, all rounds
 * together.
 *
 * <p>Run: {@code bench/run RelayHopBenchmark --seconds=20 --rounds=3}; {@code --node="--hls-ladder off"} adds settings
 * to both nodes (the default is the product's HLS ladder, whose transcoding runs on the origin and weighs on both
 * paths alike); {@code --audio=0} plays video alone.
 */
public final class RelayHopBenchmark {
    private static final String SECRET = "relay-hop-benchmark-secret-0123456789";

    private RelayHopBenchmark() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 20);
        int rounds = args.integer("rounds", 3);
        boolean audio = args.integer("audio", 1) != 0;
        String extra = args.text("node", "").trim();
        SharedServices.requirePostgres();
        SharedServices.requireRedis();
        List<Long> direct = new ArrayList<>();
        List<Long> hop = new ArrayList<>();
        try (SharedServices.PgSchema schema = SharedServices.PgSchema.create()) {
            String[] nodeArgs = Stream.concat(Stream.of("--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER,
                    "--db-password", SharedServices.PG_PASSWORD, "--redis-url", SharedServices.REDIS_URL,
                    "--redis-namespace", "relay-hop-" + UUID.randomUUID(), "--secret", SECRET),
                    extra.isEmpty() ? Stream.of() : Arrays.stream(extra.split("\\s+"))).toArray(String[]::new);
            // The nodes start side by side on other threads while Playwright (one thread) starts Chromium on this one.
            CompletableFuture<List<NodeProcess>> starting = CompletableFuture.supplyAsync(() -> NodeProcess.startTogether(2, nodeArgs));
            List<NodeProcess> nodes = List.of();
            try (Chromium browser = Chromium.launch()) {
                nodes = starting.join();
                NodeProcess origin = nodes.get(0);
                NodeProcess edge = nodes.get(1);
                if (!extra.isEmpty()) report("node settings: %s", extra);
                report("relay hop: Chromium %s, %d round(s) of %d s per path, viewer %s; %s", browser.version(), rounds, seconds,
                        audio ? "audio+video" : "video only", LoadAverage.now());
                Account owner = origin.http.signup("hopowner");
                String slug = "hop";
                origin.http.createChannel(owner, slug);
                String key = origin.http.get("/api/channels/" + slug + "/stream-key", owner.token()).json().at("/streamKey").asText();
                Publisher publisher = Publisher.open(browser);
                try {
                    publisher.publish(origin.url("/api/whip"), key, Publisher.Source.CLOCK);
                    awaitOrigin(edge, slug, origin);
                    for (int round = 1; round <= rounds; round++) {
                        // Odd rounds direct first, even rounds the hop first.
                        boolean directFirst = round % 2 == 1;
                        List<Long> d = new ArrayList<>();
                        List<Long> h = new ArrayList<>();
                        for (boolean viaEdge : directFirst ? new boolean[]{false, true} : new boolean[]{true, false}) {
                            NodeProcess at = viaEdge ? edge : origin;
                            play(browser, at.url("/api/whep/" + slug), seconds, audio, viaEdge ? h : d, viaEdge ? "edge (one hop)" : "origin (direct)", round);
                        }
                        direct.addAll(d);
                        hop.addAll(h);
                        Distribution dd = new Distribution(d);
                        Distribution hd = new Distribution(h);
                        report("relay hop round %d: direct %s; one hop %s; hop adds %+d ms at p50, %+d ms at p95; %s", round, dd, hd,
                                hd.percentile(50) - dd.percentile(50), hd.percentile(95) - dd.percentile(95), LoadAverage.now());
                    }
                } finally {
                    publisher.close();
                }
            } finally {
                NodeProcess.closeTogether(nodes.isEmpty() ? starting.handle((n, e) -> n == null ? List.<NodeProcess>of() : n).join() : nodes);
            }
        }
        Distribution d = new Distribution(direct);
        Distribution h = new Distribution(hop);
        report("relay hop RESULT direct  (canvas -> WHIP -> origin -> WHEP -> video): %s", d);
        report("relay hop RESULT one hop (canvas -> WHIP -> origin -> relay -> edge -> WHEP -> video): %s", h);
        report("relay hop RESULT one hop p50 - direct p50 = %+d ms (goal <= 5 ms), p95 difference %+d ms; %s",
                h.percentile(50) - d.percentile(50), h.percentile(95) - d.percentile(95), LoadAverage.now());
    }

    /** One viewer on {@code whepUrl} for {@code seconds} after its first 60 frames; its clock ages go to {@code into}. */
    private static void play(Chromium browser, String whepUrl, int seconds, boolean audio, List<Long> into, String what, int round) {
        Viewer viewer = Viewer.open(browser);
        try {
            viewer.play(whepUrl, true, java.util.Map.of("audio", audio));
            Eventually.await("the viewer on the " + what + " decodes 60 clock frames", Duration.ofSeconds(60), viewer::stats,
                    s -> Viewer.framesDecoded(s) >= 60, viewer::diagnostics);
            viewer.drainClockSamples();
            List<Long> samples = GlassToGlassBenchmark.collect(seconds, viewer::drainClockSamples);
            into.addAll(samples);
            report("relay hop round %d, %s: %s", round, what, new Distribution(samples));
            viewer.stop();
        } finally {
            viewer.close();
        }
    }

    /** The edge names the origin as the channel's origin (placement and the registry reached it through Redis). */
    private static void awaitOrigin(NodeProcess edge, String slug, NodeProcess origin) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String want = origin.url("");
        while (!edge.http.get("/api/channels/" + slug + "/edges", null).json().at("/origin/whepUrl").asText().startsWith(want)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the edge never named " + want + " the origin of " + slug);
            BenchBed.pause(200);
        }
    }
}
