package live.cascade.api;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.config.ConfigLoader;
import live.cascade.api.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real node on a free port with its own data directory and in-memory H2, plus a small HTTP client for it. The live
 * HLS ladder is off unless the test's settings name one ({@code "--hls-ladder", "source,360p"}). With TLS on
 * ({@code --tls-cert} or {@code --acme-domain}) the client speaks HTTPS and takes any certificate: tests that are about
 * the certificate check it on connections of their own ({@link live.cascade.api.harness.TlsClient}).
 */
public final class TestNode implements AutoCloseable {
    /** The node; null for one in a JVM of its own ({@link #inOwnJvm}), which is reached over HTTP only. */
    public final CascadeServer server;
    public final Path dataDir;
    private final boolean tls;
    private final ApiClient api;
    /** The node's own JVM ({@link #inOwnJvm}); null when it runs in this one. */
    private final NodeProcess process;
    private final int port;

    public TestNode(String... extraArgs) {
        this(null, extraArgs);
    }

    /**
     * The same node in a JVM of its own ({@link NodeProcess}: {@code ServerMain} on this classpath, as a deployed node
     * runs) with {@code jvmOptions}: for benchmarks that measure what the node costs, its heap, collections and JIT
     * not shared with the benchmark's Playwright driver. {@link #server} is null: it is reached over HTTP only (no TLS).
     */
    public static TestNode inOwnJvm(List<String> jvmOptions, String... extraArgs) {
        return new TestNode(List.copyOf(jvmOptions), extraArgs);
    }

    /** @param jvmOptions null: the node runs in this JVM */
    private TestNode(List<String> jvmOptions, String... extraArgs) {
        try {
            dataDir = Files.createTempDirectory("cascade-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--http-host", "127.0.0.1", "--http-port", "0",
                "--data-dir", dataDir.toString(), "--db-url", "jdbc:h2:mem:" + UUID.randomUUID(),
                "--media-workers", "1", "--media-port", Integer.toString(freeUdpPort()),
                // ICE-TCP on, as in production, on a port of its own (other tests run beside this one).
                "--ice-tcp-port", "0",
                // No live HLS ladder unless a test asks for one (a later --hls-ladder wins): its x264 encodes would
                // take the CPU that browsers and other nodes need on a small machine, in tests that are not about HLS.
                "--hls-ladder", "off",
                // No RTMP listener unless a test asks for one ("--rtmp-port", "0"): test nodes run side by side.
                "--rtmp-port", "off",
                // Test classes sign up many accounts from 127.0.0.1; tests of the signup limits name their own.
                "--signups-per-ip", "100000", "--signups-total", "100000", "--channels-per-account", "100000",
                "--broadcasts-per-account", "100000"));
        args.addAll(List.of(extraArgs));
        if (jvmOptions != null) {
            process = NodeProcess.start(jvmOptions, args.toArray(String[]::new));
            server = null;
            tls = false;
            port = process.port();
            api = process.http;
            return;
        }
        CascadeConfig cfg = ConfigLoader.load(args.toArray(String[]::new), Map.of());
        server = CascadeServer.start(cfg);
        tls = cfg.tlsEnabled();
        port = server.port();
        process = null;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        api = new ApiClient(url(""),
                (tls ? client.sslContext(live.cascade.api.harness.TlsClient.trustingAnything()) : client).build());
    }

    /** The process the node runs in: its own JVM's ({@link #inOwnJvm}), else this one. */
    public long pid() {
        return process != null ? process.pid() : ProcessHandle.current().pid();
    }

    /** What the node in its own JVM has printed so far; empty for one in this JVM (its log is this process's). */
    public String output() {
        return process != null ? process.output() : "";
    }

    /** A UDP port nothing listens on right now and the kernel will not hand out, for this node's media workers. */
    public static int freeUdpPort() {
        return SharedServices.freeUdpPort();
    }

    public String url(String path) {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port + path;
    }

    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().getFirst()).orElse(null);
        }
    }

    public Response send(String method, String path, String token, Object jsonBody, String... headers) {
        return api.send(method, path, token, jsonBody, headers);
    }

    public Response get(String path, String token) {
        return api.get(path, token);
    }

    public Response post(String path, String token, Object body) {
        return api.post(path, token, body);
    }

    /** Signs up a fresh user and returns its token and id. */
    public Account signup(String username) {
        return api.signup(username);
    }

    public record Account(long id, String username, String token, String password) {
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Override
    public void close() {
        if (process != null) process.close(); // SIGTERM: it shuts down as a deployed node does
        else server.close();
    }
}
