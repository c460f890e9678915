package live.cascade.api;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL and Redis that integration tests share (127.0.0.1:5432, database test, user postgres; and
 * 127.0.0.1:6379), overridable by CASCADE_TEST_PG_URL / _USER / _PASSWORD and CASCADE_TEST_REDIS_URL. A missing
 * service skips the test loudly, except with CI=true, where it fails it.
 */
public final class SharedServices {
    public static final String PG_URL = env("CASCADE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("CASCADE_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = env("CASCADE_TEST_PG_PASSWORD", "");
    public static final String REDIS_URL = env("CASCADE_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private SharedServices() {
    }

    public static void requirePostgres() {
        try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            missing("PostgreSQL at " + PG_URL + " as " + PG_USER + ": " + e.getMessage());
        }
    }

    public static void requireRedis() {
        java.net.URI u = java.net.URI.create(REDIS_URL);
        if (!redisAnswers(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort())) missing("Redis at " + REDIS_URL + " does not answer PING");
    }

    /** True if a Redis server answers PING on host:port within a second. */
    public static boolean redisAnswers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Skips the calling test because {@code what} is missing, or fails it with CI=true. */
    public static void missingService(String what) {
        missing(what);
    }

    private static void missing(String what) {
        System.err.println("\n*** " + what + (CI ? " — FAILING (CI=true)" : " — SKIPPED (set CI=true to make this a failure)") + "\n");
        if (CI) throw new AssertionError("required service missing with CI=true: " + what);
        Assumptions.abort("service missing, skipped: " + what);
    }

    /** A fresh schema on the shared PostgreSQL; closing drops it with everything in it. */
    public record PgSchema(String name, String jdbcUrl) implements AutoCloseable {
        public static PgSchema create() {
            requirePostgres();
            String name = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test schema " + name, e);
            }
            return new PgSchema(name, PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name);
        }

        @Override
        public void close() {
            try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + name, e);
            }
        }
    }

    static Connection pgAdmin() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
    }

    public static int freeTcpPort() {
        return freePort(false);
    }

    public static int freeUdpPort() {
        return freePort(true);
    }

    /**
     * A port free now and not the kernel's to hand out: below its ephemeral range. A port taken with bind(0) and
     * released is back in that range at once, and any socket bound to port 0 (a browser's ICE candidates, a client's
     * outgoing connection) can get it before the node that was given it binds it, which failed a CI run (a node's
     * media plane: "Address already in use"). Below the range only another test's choice could take it, and this
     * process hands each port out once, from a random start so another JVM doing the same rarely meets it.
     */
    private static int freePort(boolean udp) {
        for (int i = 0; i < LOW_BLOCKS; i++) {
            int port = LOW_PORT_BASE + PORTS_PER_PICK * Math.floorMod(nextLowPort.getAndIncrement(), LOW_BLOCKS);
            if (blockBindable(port, udp)) return port;
        }
        try (java.io.Closeable s = udp ? new DatagramSocket(0) : new ServerSocket(0)) { // no low port free: the old way
            return udp ? ((DatagramSocket) s).getLocalPort() : ((ServerSocket) s).getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node with several media workers listens on the port and the next ones: each pick is a block of them, all free. */
    private static boolean blockBindable(int first, boolean udp) {
        for (int port = first; port < first + PORTS_PER_PICK; port++) if (!bindable(port, udp)) return false;
        return true;
    }

    private static boolean bindable(int port, boolean udp) {
        try (java.io.Closeable s = udp ? new DatagramSocket(port) : new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The lowest port of the kernel's ephemeral range (32768 on Linux unless changed). Read by line: the file reports a
     * size of 0, and {@code Files.readString} returned its first byte alone here.
     */
    private static int ephemeralLow() {
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static final int LOW_PORT_BASE = 20_000;
    private static final int PORTS_PER_PICK = 4;
    private static final int LOW_BLOCKS = Math.max(0, Math.min(ephemeralLow(), 32_768) - LOW_PORT_BASE) / PORTS_PER_PICK;
    private static final java.util.concurrent.atomic.AtomicInteger nextLowPort =
            new java.util.concurrent.atomic.AtomicInteger(ThreadLocalRandom.current().nextInt(Math.max(1, LOW_BLOCKS)));

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
