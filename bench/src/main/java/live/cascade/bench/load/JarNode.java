package live.cascade.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node started from a built jar ({@code --node-jar}), so two builds can be loaded alternately in one run: the
 * build before a change (from a {@code git worktree}) and the one after. Loopback, a free HTTP port, its own data
 * directory and UDP port.
 */
final class JarNode implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");

    final Process process;
    final String baseUrl;
    private final List<String> output;

    private JarNode(Process process, String baseUrl, List<String> output) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.output = output;
    }

    static JarNode start(String jar, List<String> jvmOptions, List<String> flags) throws IOException {
        Path data = Files.createTempDirectory("cascade-load-node");
        int mediaPort;
        try (DatagramSocket s = new DatagramSocket(0)) {
            mediaPort = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar, "--http-host", "127.0.0.1", "--http-port", "0", "--data-dir", data.toString(),
                "--media-host", "127.0.0.1", "--media-port", Integer.toString(mediaPort)));
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jar-node-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = RUNNING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                // the process went away; its output so far is kept
            }
            port.completeExceptionally(new IllegalStateException("node exited"));
        });
        try {
            return new JarNode(p, "http://127.0.0.1:" + port.get(180, TimeUnit.SECONDS), lines);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("node from " + jar + " did not start (" + e + "):\n" + String.join("\n", lines), e);
        }
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
