package live.cascade.api.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import live.cascade.sfu.testkit.client.PacketViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's real Prometheus scraping a live node that a packet-level publisher streams to and a viewer watches:
 * the repository's rule files load and evaluate without error, the media series move, and every query of every
 * panel of every dashboard under {@code infra/grafana/dashboards} returns data through Prometheus's query API
 * (Grafana is not in Debian, so a dashboard is checked by its queries). {@code promtool} checks the shipped scrape
 * configuration and runs the alert rules' unit tests ({@code infra/prometheus/tests}).
 */
@Tag("integration")
class PrometheusMonitoringTest {
    static final Path INFRA = Path.of("..", "infra").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static TestNode node;
    static LivePublisher publisher;
    static PacketViewer viewer;
    static Process prometheus;
    static Path work;
    static int promPort;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/prometheus")) || !Files.isExecutable(Path.of("/usr/bin/promtool"))) {
            SharedServices.missingService("Debian's prometheus and promtool (apt-get install prometheus)");
        }
        node = new TestNode("--hls-ladder", "off", "--recordings", "false");
        node.signup("prom_admin");
        Account owner = node.signup("prom_owner");
        TestNode.Response ch = node.post("/api/channels", owner.token(), map("slug", "prom", "title", "prom", "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        publisher = new LivePublisher(PacketPublisher.connect(URI.create(node.url("/api/whip")), ch.json().at("/streamKey").asText(),
                ClientOptions.defaults()));
        viewer = PacketViewer.connect(URI.create(node.url("/api/whep/prom")), ClientOptions.defaults());

        work = Files.createTempDirectory("cascade-prometheus");
        promPort = SharedServices.freeTcpPort();
        URI nodeUri = URI.create(node.url("/"));
        // The shipped rule files as they are; only the target is this test's node, scraped every second.
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/prometheus/rules/*.yml
                scrape_configs:
                  - job_name: cascade
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {node: test-node}
                """.formatted(INFRA, nodeUri.getPort());
        Files.writeString(work.resolve("prometheus.yml"), config);
        prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        await("Prometheus scrapes the node", Duration.ofSeconds(60), () -> {
            if (!prometheus.isAlive()) throw new AssertionError("prometheus exited:\n" + log());
            try {
                return query("up{job=\"cascade\"} == 1").size() == 1;
            } catch (AssertionError notYetListening) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly();
        }
        if (viewer != null) viewer.close();
        if (publisher != null) publisher.close();
        if (node != null) node.close();
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new AssertionError("Prometheus " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new AssertionError("Prometheus on " + promPort + " does not answer: " + e + "\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    static String log() {
        try {
            return Files.readString(work.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration within, Check check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what + "\n" + log());
            Thread.sleep(250);
        }
    }

    @Test
    void theShippedRulesLoadAndEvaluateWithoutErrors() throws Exception {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(INFRA.resolve("prometheus/rules"))) {
            s.filter(p -> p.toString().endsWith(".yml")).forEach(p -> files.add(p.toString()));
        }
        assertThat(files).isNotEmpty();
        await("every rule was evaluated", Duration.ofSeconds(30), () -> {
            for (JsonNode g : api("/api/v1/rules").path("groups")) {
                for (JsonNode r : g.path("rules")) if (r.path("lastEvaluation").asText().startsWith("0001")) return false;
            }
            return true;
        });
        JsonNode groups = api("/api/v1/rules").path("groups");
        assertThat(groups.size()).isGreaterThanOrEqualTo(files.size());
        List<String> alerts = new ArrayList<>();
        for (JsonNode g : groups) {
            assertThat(files).contains(g.path("file").asText());
            for (JsonNode r : g.path("rules")) {
                assertThat(r.path("health").asText()).as(r.path("name").asText() + ": " + r.path("lastError").asText()).isEqualTo("ok");
                if ("alerting".equals(r.path("type").asText())) alerts.add(r.path("name").asText());
            }
        }
        assertThat(alerts).contains("CascadeNodeDown", "CascadeWhipRefused", "CascadeMediaPacketDrops", "CascadePublisherLoss",
                "CascadeHlsLadderBehind", "CascadeRecordingsFailing", "CascadeStoreBacklog");
        // A healthy node fires none of them (CascadeRecordingsFailing has no `for`: a false alarm would show at once).
        assertThat(query("ALERTS{alertstate=\"firing\"}")).as("firing alerts").isEmpty();
    }

    @Test
    void theMediaSeriesMoveWhileThePublisherSends() throws Exception {
        await("packets in and out rise", Duration.ofSeconds(30), () ->
                !query("cascade:media_packets_in:rate1m > 0").isEmpty() && !query("cascade:media_packets_out:rate1m > 0").isEmpty());
        await("the channel's ingest bitrate shows", Duration.ofSeconds(30),
                () -> !query("cascade_ingest_bitrate_bits_per_second{channel=\"prom\",kind=\"video\"} > 0").isEmpty());
        await("the channel's egress to its viewer rises, and it has one", Duration.ofSeconds(30),
                () -> !query("rate(cascade_channel_egress_bytes_total{channel=\"prom\"}[15s]) > 0").isEmpty()
                        && !query("cascade_channel_viewers{channel=\"prom\"} == 1").isEmpty());
    }

    @Test
    void everyPanelQueryOfEveryDashboardReturnsData() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(INFRA.resolve("grafana/dashboards"))) {
            for (Path file : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        queries.put(file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                                resolveVariables(target.path("expr").asText()));
                    }
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(10);
        // What a web player watching the channel sends (its own test is QoeBeaconBrowserTest): a startup beacon, then
        // one with time played, a stall and frames, so the QoE panels' rates have something to move.
        for (String beacon : List.of("{\"channel\":\"prom\",\"protocol\":\"webrtc\",\"path\":\"udp\",\"startupMs\":650}",
                "{\"channel\":\"prom\",\"protocol\":\"webrtc\",\"watchMs\":30000,\"rebuffers\":1,\"rebufferMs\":900,"
                        + "\"framesDecoded\":740,\"framesDropped\":6,\"errors\":[\"stalled\"]}")) {
            TestNode.Response r = node.send("POST", "/api/qoe", null, beacon, "Content-Type", "text/plain");
            assertThat(r.status()).as(r.body()).isEqualTo(204);
        }
        Map<String, String> empty = new LinkedHashMap<>();
        await("every panel's query returns data", Duration.ofSeconds(60), () -> {
            empty.clear();
            queries.forEach((panel, q) -> {
                if (query(q).isEmpty()) empty.put(panel, q);
            });
            return empty.isEmpty();
        });
        assertThat(empty).isEmpty();
    }

    /** Grafana's variables as a dashboard viewer would set them: every node and channel, Grafana's rate interval. */
    static String resolveVariables(String expr) {
        return expr.replace("$__rate_interval", "15s").replace("$node", ".*").replace("$channel", ".*").replace("$job", "cascade");
    }

    @Test
    void promtoolPassesTheScrapeConfigAndTheAlertRulesUnitTests() throws Exception {
        assertThat(promtool("check", "config", INFRA.resolve("prometheus/prometheus.yml").toString())).contains("SUCCESS");
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        try (Stream<Path> s = Files.list(INFRA.resolve("prometheus/tests"))) {
            s.filter(p -> p.toString().endsWith(".yml")).forEach(p -> args.add(p.toString()));
        }
        assertThat(args).hasSizeGreaterThan(2);
        assertThat(promtool(args.toArray(String[]::new))).contains("SUCCESS");
    }

    static String promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(INFRA.resolve("prometheus").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    @Test
    void metricsStayLeanWithNoPerSessionLabels() throws Exception {
        String page = node.get("/metrics", null).body();
        Files.writeString(Path.of("target", "metrics-sample.txt"), page);
        long series = page.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        System.out.println("[metrics] " + page.length() + " bytes, " + series + " series");
        assertThat(page).doesNotContain("session=\"", "viewer=\"", "ssrc=\"");
    }
}
