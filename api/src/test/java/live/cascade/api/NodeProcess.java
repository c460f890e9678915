package live.cascade.api;

import live.cascade.api.config.Setting;
import live.cascade.api.harness.NodeStartup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real node in its own JVM ({@link ServerMain} with the test classpath) on loopback with free ports and a
 * temporary data directory. Its output is kept for failure messages.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("open https?://127\\.0\\.0\\.1:(\\d+)/");

    private final NodeStartup node;
    private final Process process;
    private final int port;
    public final ApiClient http;

    private NodeProcess(NodeStartup node) {
        this.node = node;
        this.process = node.process();
        this.port = node.port();
        this.http = new ApiClient("http://127.0.0.1:" + port);
    }

    public static NodeProcess start(String... args) {
        return start(List.of("-Xmx1g"), args);
    }

    /**
     * {@code count} nodes with the same settings, started side by side: a node's start is mostly waiting (JVM start,
     * class loading, migrations), so two together take little longer than one. All or none: a node that fails to
     * start closes the others.
     */
    public static List<NodeProcess> startTogether(int count, String... args) {
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) starting.add(CompletableFuture.supplyAsync(() -> start(args)));
        List<NodeProcess> nodes = new ArrayList<>();
        Throwable failure = null;
        for (CompletableFuture<NodeProcess> f : starting) {
            try {
                nodes.add(f.join());
            } catch (RuntimeException e) {
                if (failure == null) failure = e.getCause() == null ? e : e.getCause();
            }
        }
        if (failure != null) {
            closeTogether(nodes);
            if (failure instanceof Error err) throw err;
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return nodes;
    }

    /** Closes the nodes side by side (each close waits for its process's graceful shutdown). */
    public static void closeTogether(List<NodeProcess> nodes) {
        CompletableFuture.allOf(nodes.stream().filter(java.util.Objects::nonNull)
                .map(n -> CompletableFuture.runAsync(n::close)).toArray(CompletableFuture[]::new)).join();
    }

    /** Like {@link #start(String...)} with {@code jvmOptions} for the node's JVM (heap size, GC...). */
    public static NodeProcess start(List<String> jvmOptions, String... args) {
        List<String> cmd = java(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), "--http-host", "127.0.0.1", "--http-port", "0", "--data-dir", newDataDir()));
        // The media plane binds UDP ports; give each node its own so nodes (and other tests) never collide.
        if (Setting.byKey("media-port") != null) cmd.addAll(List.of("--media-port", Integer.toString(SharedServices.freeUdpPort())));
        if (Setting.byKey("media-workers") != null) cmd.addAll(List.of("--media-workers", "1"));
        // ICE-TCP too: any free port (its default, 10000, would be taken by the second node).
        if (Setting.byKey("ice-tcp-port") != null) cmd.addAll(List.of("--ice-tcp-port", "0"));
        if (Setting.byKey("media-host") != null) cmd.addAll(List.of("--media-host", "127.0.0.1"));
        // Test classes sign up many accounts from 127.0.0.1; tests of the signup limits name their own.
        if (Setting.byKey("signups-per-ip") != null) cmd.addAll(List.of("--signups-per-ip", "100000", "--signups-total", "100000"));
        if (Setting.byKey("channels-per-account") != null) cmd.addAll(List.of("--channels-per-account", "100000"));
        if (Setting.byKey("broadcasts-per-account") != null) cmd.addAll(List.of("--broadcasts-per-account", "100000"));
        // Nodes run side by side: none takes the RTMP port unless a test asks ("--rtmp-port", "0").
        if (Setting.byKey("rtmp-port") != null) cmd.addAll(List.of("--rtmp-port", "off"));
        cmd.addAll(List.of(args));
        return launch(cmd);
    }

    /**
     * A node from a built jar (another build, for a before/after comparison) with {@code jvmOptions} and {@code args}
     * after the loopback, free-port and data-directory settings every build knows.
     */
    public static NodeProcess startJar(String jar, List<String> jvmOptions, List<String> args) {
        List<String> cmd = java(jvmOptions);
        cmd.addAll(List.of("-jar", jar, "--http-host", "127.0.0.1", "--http-port", "0", "--data-dir", newDataDir(),
                "--media-host", "127.0.0.1", "--media-port", Integer.toString(SharedServices.freeUdpPort())));
        cmd.addAll(args);
        return launch(cmd);
    }

    /**
     * The java binary running this test (a node runs on the same JDK), with {@code jvmOptions}. Started through
     * coreutils' {@code env --default-signal=HUP}: a build run under {@code nohup} (or anything else that ignores
     * SIGHUP) passes the ignored disposition on, and a JVM leaves a signal ignored at its start ignored, so the node's
     * SIGHUP reload would never run. A node an operator starts from systemd gets SIGHUP as it should.
     */
    private static List<String> java(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP",
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        return cmd;
    }

    private static String newDataDir() {
        try {
            return Files.createTempDirectory("cascade-node").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code cmd} and waits until the node says where it listens; its output is kept. */
    private static NodeProcess launch(List<String> cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Generous: on a busy shared machine a JVM with the media plane can take a minute to come up.
        return new NodeProcess(NodeStartup.await(p, RUNNING, java.time.Duration.ofSeconds(180)));
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String wsUrl(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    public String output() {
        return node.outputText();
    }

    /** Waits up to {@code within} for the process to end by itself; its exit code, or empty if it still runs. */
    public java.util.OptionalInt awaitExit(java.time.Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(process.exitValue());
    }

    /** SIGKILL (a crash: no shutdown hook runs), and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then waits; forcibly after 30 s. */
    @Override
    public void close() {
        node.stop();
    }
}
