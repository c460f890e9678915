package live.cascade.api.hls;

import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.HlsHttp;
import live.cascade.api.media.MediaNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caching reverse proxy of docs/operations.md ("HLS across nodes") in front of a real node: Debian's nginx runs the
 * documentation's own configuration block (read from the file; only the addresses and the cache directory are put in
 * for this machine), and a live HLS broadcast is fetched through it. Segments are fetched from the node once however
 * many viewers ask (also at the same moment: proxy_cache_lock) and then served from the cache, whatever viewer token
 * is in their query; playlists are never served from the cache, and a blocking LL-HLS reload passes straight through.
 * What the node served is read from its own request counter in /metrics.
 */
@Tag("integration")
@Timeout(180)
class NginxHlsCacheTest {
    private static final Path NGINX = Path.of(System.getenv().getOrDefault("CASCADE_TEST_NGINX", "/usr/sbin/nginx"));
    private static final Path DOC = Path.of("..", "docs", "operations.md");
    /** The node's route label for playlists and segments of a rendition (http_server_requests). */
    private static final String RENDITION_ROUTE = "route=\"/hls/{slug}/{broadcast}/{rendition}/{file}\"";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static TestNode node;
    static Process nginx;
    static Path dir;
    static int port;
    static FfmpegPublisher publisher;
    static MediaNode.Channel channel;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(NGINX)) SharedServices.missingService("nginx binary " + NGINX + " (apt-get install nginx)");
        node = new TestNode("--hls-ladder", "source");
        dir = Files.createTempDirectory("cascade-nginx");
        port = SharedServices.freeTcpPort();
        Files.writeString(dir.resolve("nginx.conf"), config(Files.readString(DOC), port, node.url("").replace("http://", ""), dir));
        nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!listening(port)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("nginx did not start:\n" + Files.readString(dir.resolve("nginx.out")) + "\n" + readOr(dir.resolve("error.log")));
            }
            Thread.sleep(50);
        }
        channel = MediaNode.of(node).createChannel("nginx");
        publisher = FfmpegPublisher.ladderSource(channel.whipUrl(), channel.streamKey(), 320, 240, 120);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) publisher.close();
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            try {
                if (!nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) nginx.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (node != null) node.close();
    }

    /**
     * The documentation's nginx block inside a minimal nginx.conf for this machine: the upstream is the test's node,
     * the listener plain HTTP on loopback, the cache and nginx's own files in {@code dir}. Everything else is the
     * documentation's text, so a change there is tested here; a change to the lines replaced fails loudly.
     */
    static String config(String doc, int listen, String upstream, Path dir) {
        Matcher block = Pattern.compile("as an HLS edge:\\s*```nginx\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find()).as("docs/operations.md has the nginx block for HLS edges").isTrue();
        String conf = block.group(1);
        conf = replaceOnce(conf, "upstream cascade { server 10.0.0.11:8080; server 10.0.0.12:8080; keepalive 32; }",
                "upstream cascade { server " + upstream + "; keepalive 32; }");
        conf = replaceOnce(conf, "listen 443 ssl;", "listen 127.0.0.1:" + listen + ";");
        conf = replaceOnce(conf, "proxy_cache_path /var/cache/nginx/hls ", "proxy_cache_path " + dir.resolve("cache") + " ");
        String d = dir.toString();
        // Debian's build puts its temporary directories and logs under /var: here they are the test's own. As root,
        // nginx's workers would run as nobody, who cannot enter the test's directory.
        boolean root = "root".equals(System.getProperty("user.name"));
        return (root ? "user root;\n" : "") + "daemon off;\nmaster_process on;\nworker_processes 1;\npid " + d + "/nginx.pid;\n"
                + "error_log " + d + "/error.log info;\nevents { worker_connections 256; }\nhttp {\n"
                + "    access_log " + d + "/access.log;\n"
                + "    client_body_temp_path " + d + "/client_body;\n    proxy_temp_path " + d + "/proxy;\n"
                + "    fastcgi_temp_path " + d + "/fastcgi;\n    uwsgi_temp_path " + d + "/uwsgi;\n    scgi_temp_path " + d + "/scgi;\n"
                + conf + "}\n";
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        assertThat(at).as("the documented nginx block contains: " + what).isNotNegative();
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    @Test
    void segmentsAreFetchedFromTheNodeOnceAndServedFromTheCachePlaylistsAlwaysFromTheNode() throws Exception {
        // The master playlist through the proxy (its variant URIs are relative: they lead back through it).
        URI master = URI.create("http://127.0.0.1:" + port + "/hls/" + channel.slug() + "/master.m3u8");
        HttpResponse<byte[]> m = awaitOk(master, Duration.ofSeconds(60));
        assertThat(m.headers().firstValue("Cache-Control")).contains("private, no-cache");
        URI media = HlsHttp.variants(master, HlsHttp.text(m)).getFirst().uri();

        // Two complete segments that nobody has fetched yet: the newest of the playlist once it lists three.
        List<HlsHttp.Segment> segments = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (segments.size() < 3) {
            assertThat(System.nanoTime()).as("three segments listed in time").isLessThan(deadline);
            Thread.sleep(500);
            segments = HlsHttp.segments(media, HlsHttp.text(HlsHttp.ok(get(media))));
        }
        URI segment = segments.getLast().uri();
        URI init = HlsHttp.map(media, HlsHttp.text(HlsHttp.ok(get(media))));

        // Four viewers at once, then a fifth, then a viewer with another token in its query: the node serves one.
        long before = nodeCount();
        List<CompletableFuture<HttpResponse<byte[]>>> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) together.add(CompletableFuture.supplyAsync(() -> get(segment)));
        List<HttpResponse<byte[]>> answers = together.stream().map(CompletableFuture::join).toList();
        for (HttpResponse<byte[]> r : answers) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(answers.getFirst().body());
            assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        }
        assertThat(answers).extracting(r -> r.headers().firstValue("X-Cache").orElse("none")).contains("MISS");
        HttpResponse<byte[]> fifth = HlsHttp.ok(get(segment));
        assertThat(fifth.headers().firstValue("X-Cache")).as("a later viewer").contains("HIT");
        URI otherViewer = URI.create(segment.toString().replaceFirst("\\?.*$", "") + "?token=another-viewers-token");
        HttpResponse<byte[]> sixth = HlsHttp.ok(get(otherViewer));
        assertThat(sixth.headers().firstValue("X-Cache")).as("another viewer's token in the query").contains("HIT");
        assertThat(sixth.body()).isEqualTo(answers.getFirst().body());
        assertThat(nodeCount() - before).as("requests for the segment that reached the node").isEqualTo(1);
        HlsHttp.ok(get(init));
        assertThat(get(init).headers().firstValue("X-Cache")).as("the init segment, second time").contains("HIT");

        // Playlists: every request reaches the node (no X-Cache: the documented location has no cache), and the
        // proxy's copy moves on with the broadcast.
        long p0 = nodeCount();
        HttpResponse<byte[]> one = HlsHttp.ok(get(media));
        Thread.sleep(1200); // more than three parts (333 ms) later
        HttpResponse<byte[]> two = HlsHttp.ok(get(media));
        assertThat(nodeCount() - p0).as("playlist requests that reached the node").isEqualTo(2);
        assertThat(one.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(two.headers().firstValue("X-Cache")).as("the playlist location does not cache").isEmpty();
        assertThat(HlsHttp.text(two)).as("the second playlist is newer than the first").isNotEqualTo(HlsHttp.text(one));

        // A blocking reload for the next part passes through (unbuffered) and answers once the part exists.
        Matcher hint = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"(\\d+)\\.(\\d+)\\.m4s\"").matcher(HlsHttp.text(two));
        assertThat(hint.find()).as("a preload hint in\n" + HlsHttp.text(two)).isTrue();
        String msn = hint.group(1);
        String part = hint.group(2);
        String sep = media.getQuery() == null ? "?" : "&";
        long t0 = System.nanoTime();
        HttpResponse<byte[]> blocked = HlsHttp.ok(get(URI.create(media + sep + "_HLS_msn=" + msn + "&_HLS_part=" + part)));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertThat(HlsHttp.text(blocked)).as("the awaited part is listed").contains("\"" + msn + "." + part + ".m4s\"");
        System.out.println("[hls-proxy] through nginx: 6 segment requests, 1 reached the node; 2 playlist requests, 2 reached it; "
                + "a blocking reload answered after " + waited + " ms");
    }

    // ---- helpers ----

    static HttpResponse<byte[]> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static HttpResponse<byte[]> awaitOk(URI uri, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<byte[]> r = get(uri);
        while (r.statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(uri + " answered " + r.statusCode() + ": " + HlsHttp.text(r) + "\n" + publisher.diagnostics());
            }
            Thread.sleep(500);
            r = get(uri);
        }
        return r;
    }

    /**
     * The node's own count of the requests it answered for renditions' playlists and segments (all statuses), read
     * a moment after the last answer: the node records a request once its response is complete.
     */
    static long nodeCount() throws InterruptedException {
        Thread.sleep(400);
        long sum = 0;
        for (String line : node.get("/metrics", null).body().split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{") && line.contains(RENDITION_ROUTE) && line.contains("method=\"GET\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readOr(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
