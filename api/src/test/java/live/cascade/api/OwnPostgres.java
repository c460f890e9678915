package live.cascade.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free loopback port, to stop and start at will;
 * never the shared one on 5432. Uses Debian's binaries (/usr/lib/postgresql/&lt;version&gt;/bin, or
 * CASCADE_TEST_PG_BIN); run as root, the server runs as the {@code postgres} user (PostgreSQL refuses root). Without
 * the binaries the test is skipped, or fails with CI=true. Closing stops it and removes the directory.
 */
public final class OwnPostgres implements AutoCloseable {
    public final int port;
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean asPostgresUser;

    public OwnPostgres() {
        this.bin = binaries();
        this.port = SharedServices.freeTcpPort();
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        try {
            this.dir = Files.createTempDirectory("cascade-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.data = dir.resolve("data");
        if (asPostgresUser) run(List.of("chown", "postgres:", dir.toString()), false);
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-sync", "--no-instructions"), true);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start"), true);
    }

    /** Stops the server (fast: open connections are cut, as in a crash of the network or a restart) and waits. */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), true);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    private static Path binaries() {
        String env = System.getenv("CASCADE_TEST_PG_BIN");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(v -> version(v.getFileName().toString()))).orElse(null);
                if (newest != null) return newest.resolve("bin");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SharedServices.missingService("PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or CASCADE_TEST_PG_BIN");
        throw new IllegalStateException("unreachable");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void run(List<String> command, boolean asServerUser) {
        List<String> cmd = new ArrayList<>();
        if (asServerUser && asPostgresUser) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the server if it runs and removes its directory. */
    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                stop();
            } catch (AssertionError e) {
                System.err.println("could not stop the test's PostgreSQL: " + e.getMessage());
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }
}
