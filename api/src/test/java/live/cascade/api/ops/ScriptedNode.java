package live.cascade.api.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import live.cascade.api.harness.NodeStartup;

/**
 * A node started by an operator's command (the launcher, the installed package's binary) rather than by the test's
 * own JVM: waits for its "open http://host:port/" line, answers plain GETs, and stops it with SIGTERM on close.
 */
final class ScriptedNode implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("open http://[^:/]+:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final NodeStartup node;
    final int port;

    private ScriptedNode(NodeStartup node) {
        this.node = node;
        this.port = node.port();
    }

    static ScriptedNode start(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ScriptedNode(NodeStartup.await(p, RUNNING, Duration.ofSeconds(240)));
    }

    /** The status and body of a GET on the node. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The program the node's process runs (after the launcher's exec: the java binary). */
    String command() {
        return node.process().info().command().orElse("?");
    }

    long pid() {
        return node.process().pid();
    }

    String output() {
        return node.outputText();
    }

    /** SIGTERM, then waits; forcibly after 30 s. */
    @Override
    public void close() {
        node.stop();
    }
}
