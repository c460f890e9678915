package live.cascade.api.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's process once it has said where it listens, for the harnesses that start one in a process of its own (the
 * test classpath's {@code NodeProcess}, an operator command's {@code ScriptedNode}). Its output is read on a thread
 * of its own for as long as it runs and kept line by line, so a failure can show it.
 */
public record NodeStartup(Process process, List<String> output, int port) {
    /**
     * Reads {@code p}'s output until a line matches {@code running} (group 1: the HTTP port), up to {@code within};
     * a process that exits first or takes longer is killed and fails the test with its output.
     */
    public static NodeStartup await(Process p, Pattern running, Duration within) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("node-output-" + p.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = running.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                // the process went away; its output so far is kept
            }
            port.completeExceptionally(new IllegalStateException("the node's process exited"));
        });
        try {
            return new NodeStartup(p, lines, port.get(within.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("node did not start (" + e + "):\n" + String.join("\n", lines), e);
        }
    }

    /** The output so far, one line each. */
    public String outputText() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGTERM, then waits; forcibly after 30 s. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
