package live.cascade.api.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import live.cascade.api.SharedServices;

/**
 * Debian's coturn ({@code turnserver}), started by a test with a config of its own in a temp directory: TURN REST
 * credentials ({@code use-auth-secret}) on free ports of one address, no CLI, logging to a file the diagnostics read.
 * A missing {@code turnserver} fails the test under {@code CI=true} and skips it elsewhere. {@link #close()} stops it.
 */
public final class Coturn implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final String host;
    private final int port;
    private final int tlsPort;

    private Coturn(Process process, Path dir, String host, int port, int tlsPort) {
        this.process = process;
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /**
     * Starts coturn on {@code host} (UDP and TCP on a free port), relaying from the same address.
     *
     * @param extraLines more turnserver.conf lines (a TLS port and certificate, peer rules...)
     */
    public static Coturn start(String host, String secret, String realm, List<String> extraLines) {
        return start(host, secret, realm, 0, extraLines);
    }

    /** As {@link #start(String, String, String, List)}, with TURN over TLS on {@code tlsPort} (0: a free port). */
    public static Coturn start(String host, String secret, String realm, int tlsPort, List<String> extraLines) {
        Path binary = Path.of("/usr/bin/turnserver");
        if (!Files.isExecutable(binary)) SharedServices.missingService("coturn's turnserver (apt-get install -y coturn)");
        try {
            Path dir = Files.createTempDirectory("coturn-");
            int port = freePort();
            if (tlsPort == 0) tlsPort = freePort();
            List<String> conf = new ArrayList<>(List.of(
                    "listening-ip=" + host, "relay-ip=" + host, "listening-port=" + port, "tls-listening-port=" + tlsPort,
                    "min-port=40000", "max-port=60000",
                    "use-auth-secret", "static-auth-secret=" + secret, "realm=" + realm,
                    "fingerprint", "no-cli", "no-multicast-peers", "no-dtls",
                    "pidfile=" + dir.resolve("turnserver.pid"), "log-file=" + dir.resolve("turn.log"), "simple-log",
                    "no-stdout-log"));
            conf.addAll(extraLines);
            Path file = dir.resolve("turnserver.conf");
            Files.writeString(file, String.join("\n", conf) + "\n", StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(binary.toString(), "-c", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Coturn coturn = new Coturn(p, dir, host, port, tlsPort);
            coturn.awaitListening(Duration.ofSeconds(10));
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where TURN over UDP (and plain TCP) listens. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    public int port() {
        return port;
    }

    /** Where TURN over TLS listens (when the config names a certificate). */
    public int tlsPort() {
        return tlsPort;
    }

    /** coturn's log so far, for a failing test's message. */
    public String log() {
        try {
            Path log = Files.list(dir).filter(f -> f.getFileName().toString().startsWith("turn")
                    && f.getFileName().toString().endsWith(".log")).findFirst().orElse(dir.resolve("stdout.log"));
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("turnserver exited: " + log() + readStdout());
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("turnserver did not listen on " + host + ":" + port + " within " + timeout + ": " + log());
    }

    private String readStdout() {
        try {
            return Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        // Free for both UDP and TCP, as coturn binds both.
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
