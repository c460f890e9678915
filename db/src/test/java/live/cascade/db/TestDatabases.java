package live.cascade.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Assumptions;

/**
 * Opens a fresh, empty, migrated database per test: a uniquely named in-memory H2 database, or a schema
 * {@code t_<random>} of its own on the shared PostgreSQL server (dropped afterwards), so concurrent runs by
 * other people never see each other's rows.
 *
 * <p>PostgreSQL comes from {@code CASCADE_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * {@code CASCADE_TEST_PG_USER} (default postgres) and {@code CASCADE_TEST_PG_PASSWORD} (default empty). If it is
 * unreachable the PostgreSQL tests are skipped with a loud message, except with {@code CI=true}, where they fail.
 */
final class TestDatabases {

    static final String PG_URL = env("CASCADE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("CASCADE_TEST_PG_USER", "postgres");
    static final String PG_PASSWORD = env("CASCADE_TEST_PG_PASSWORD", "");
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private static volatile String postgresProblem;
    private static volatile boolean postgresChecked;

    private TestDatabases() {
    }

    /** A database that is open until {@link #close()}. */
    record Handle(Database database, Backend backend, String schema) implements AutoCloseable {
        @Override
        public void close() {
            try {
                database.close();
            } finally {
                if (schema != null) {
                    dropSchema(schema);
                }
            }
        }
    }

    static Handle open(Backend backend) {
        return open(backend, 4);
    }

    static Handle open(Backend backend, int poolSize) {
        String name = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return switch (backend) {
            case H2 -> new Handle(Database.open(new DatabaseConfig("jdbc:h2:mem:" + name, "sa", "", poolSize)),
                    backend, null);
            case POSTGRES -> {
                requirePostgres();
                try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException("could not create test schema " + name, e);
                }
                try {
                    yield new Handle(Database.open(new DatabaseConfig(withSchema(PG_URL, name), PG_USER, PG_PASSWORD,
                            poolSize)), backend, name);
                } catch (RuntimeException e) {
                    dropSchema(name);
                    throw e;
                }
            }
        };
    }

    private static void dropSchema(String schema) {
        try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    /** Skips (or, on CI, fails) the calling test when PostgreSQL can't be reached. */
    static void requirePostgres() {
        if (!postgresChecked) {
            synchronized (TestDatabases.class) {
                if (!postgresChecked) {
                    try (Connection c = pgAdmin(); Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    } catch (SQLException e) {
                        postgresProblem = PG_URL + " as " + PG_USER + ": " + e.getMessage();
                        System.err.println("""

                                ************************************************************************
                                ***  PostgreSQL is NOT reachable: the PostgreSQL half of the db tests
                                ***  is %s.
                                ***  %s
                                ************************************************************************
                                """.formatted(CI ? "FAILING (CI=true)" : "SKIPPED (set CI=true to make this a failure)", postgresProblem));
                    }
                    postgresChecked = true;
                }
            }
        }
        if (postgresProblem != null) {
            if (CI) {
                throw new AssertionError("PostgreSQL is required when CI=true: " + postgresProblem);
            }
            Assumptions.abort("PostgreSQL unreachable, skipped: " + postgresProblem);
        }
    }

    static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static Connection pgAdmin() throws SQLException {
        DriverManager.setLoginTimeout((int) Duration.ofSeconds(3).toSeconds());
        return DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
