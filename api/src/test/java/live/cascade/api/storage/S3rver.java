package live.cascade.api.storage;

import live.cascade.api.SharedServices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-protocol server for tests: the npm package {@code s3rver} (filesystem-backed) run with Node, on a free
 * loopback port, with one bucket. It is installed on first use into {@code target/s3rver} ({@code .ci/run} does the
 * same on a fresh machine). Stopping and starting it again keeps its objects (the same directory and port), which is
 * how the tests take the store away in the middle of a broadcast.
 */
public final class S3rver implements AutoCloseable {
    public static final String BUCKET = "cascade-test";
    public static final String KEY = "S3RVER"; // s3rver's built-in access key and secret
    static final String VERSION = "3.7.1";
    private static final Path HOME = Path.of("target", "s3rver").toAbsolutePath();

    private final Path data;
    private final int port;
    private Process process;

    private S3rver(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    /** Chooses a port and a directory; nothing runs (or is installed) until {@link #start()}. */
    public static S3rver prepare() {
        try {
            return new S3rver(Files.createTempDirectory("s3rver"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path install() {
        Path script = HOME.resolve("node_modules/s3rver/bin/s3rver.js");
        if (Files.isRegularFile(script)) return script;
        if (!runs(List.of("node", "--version")) || !runs(List.of("npm", "--version"))) {
            SharedServices.missingService("Node.js and npm (apt-get install -y nodejs npm), to run the s3rver S3 server");
        }
        try {
            Files.createDirectories(HOME);
            Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", HOME.toString(), "s3rver@" + VERSION)
                    .redirectErrorStream(true).redirectOutput(HOME.resolve("npm-install.log").toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(script)) {
                p.destroyForcibly();
                SharedServices.missingService("s3rver@" + VERSION + " (npm install failed, see " + HOME.resolve("npm-install.log") + ")");
            }
        } catch (IOException e) {
            SharedServices.missingService("s3rver@" + VERSION + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return script;
    }

    private static boolean runs(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the server (again) and waits until it accepts connections; installs s3rver first if needed. Skips the
     * test (fails it with CI=true) when Node.js or the package cannot be had.
     */
    public synchronized S3rver start() {
        if (process != null && process.isAlive()) return this;
        Path script = install();
        try {
            process = new ProcessBuilder("node", script.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "--silent", "--configure-bucket", BUCKET)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(HOME.resolve("s3rver-" + port + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException e) {
                if (!process.isAlive()) throw new AssertionError("s3rver exited with " + process.exitValue() + "; see " + HOME);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ie);
                }
            }
        }
        throw new AssertionError("s3rver did not listen on 127.0.0.1:" + port + " within 20 s; see " + HOME);
    }

    /** Stops the server (its objects stay on disk for the next {@link #start()}). */
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public String endpoint() { return "http://127.0.0.1:" + port; }

    /** The node settings that put its recordings in this server's bucket. */
    public String[] nodeArgs(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--storage", "s3", "--s3-endpoint", endpoint(), "--s3-bucket", BUCKET,
                "--s3-access-key", KEY, "--s3-secret-key", KEY, "--s3-region", "us-east-1", "--s3-path-style", "true"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temp directory: left for the OS when it cannot go.
        }
    }
}
