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
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
