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
    private final Process process;
    private final int port;

    public TestNode(String... extraArgs) {
        this(false, extraArgs);
    }

    /**
     * The same node in a JVM of its own ({@code ServerMain} on this classpath), as a deployed node runs: for benchmarks
     * that measure what the node costs (its heap, collections and JIT not shared with the benchmark's Playwright driver),
     * and that can give it JVM options of its own: {@code --enable-native-access=ALL-UNNAMED} and the system property
     * {@code cascade.nodeJvmOptions} (space-separated). Its output goes to {@code node.log} in {@link #dataDir}.
     * {@link #server} is null: it is reached over HTTP only.
     */
    public static TestNode inOwnJvm(String... extraArgs) {
        return new TestNode(true, extraArgs);
    }

    private TestNode(boolean ownJvm, String... extraArgs) {
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
        // In its own JVM the node's HTTP port has to be known before it starts (a later --http-port still wins).
        if (ownJvm) args.addAll(List.of("--http-port", Integer.toString(SharedServices.freeTcpPort())));
        args.addAll(List.of(extraArgs));
        CascadeConfig cfg = ConfigLoader.load(args.toArray(String[]::new), Map.of());
        tls = cfg.tlsEnabled();
        if (ownJvm) {
            server = null;
            port = cfg.httpPort();
            process = startJvm(args, dataDir.resolve("node.log"));
        } else {
            server = CascadeServer.start(cfg);
            port = server.port();
            process = null;
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        api = new ApiClient(url(""),
                (tls ? client.sslContext(live.cascade.api.harness.TlsClient.trustingAnything()) : client).build());
        if (process != null) awaitReady();
    }

    private static Process startJvm(List<String> args, Path log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        String options = System.getProperty("cascade.nodeJvmOptions", "").trim();
        if (!options.isEmpty()) command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // A benchmark stopped early (Ctrl-C) takes its node with it.
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "stop-node-jvm"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the node in its own JVM to answer {@code /readyz} with 200 (its log says why it did not). */
    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the node's JVM exited with " + process.exitValue() + "; see " + dataDir.resolve("node.log"));
            try {
                if (api.get("/readyz", null).status() == 200) return;
            } catch (RuntimeException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the node's JVM was not ready within 90 s; see " + dataDir.resolve("node.log"));
    }

    /** The process the node runs in: its own JVM's ({@link #inOwnJvm}), else this one. */
    public long pid() {
        return process != null ? process.pid() : ProcessHandle.current().pid();
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
        if (server != null) {
            server.close();
            return;
        }
        process.destroy(); // SIGTERM: the node shuts down as a deployed one does
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
