package live.cascade.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the database is and how large a pool to keep.
 *
 * @param jdbcUrl           {@code jdbc:h2:...} (embedded, the default for a node) or {@code jdbc:postgresql://...}
 * @param user              database user ({@code sa} for an H2 file is fine)
 * @param password          may be empty, never null
 * @param maxPoolSize       upper bound of pooled connections
 * @param connectionTimeout how long a caller waits for a connection before the database counts as unavailable;
 *                          also bounds {@link Database#ping()} and a PostgreSQL connect attempt
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, int maxPoolSize,
                             Duration connectionTimeout) {

    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    public DatabaseConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
        }
        // HikariCP refuses anything shorter than 250 ms.
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, got " + connectionTimeout);
        }
    }

    public DatabaseConfig(String jdbcUrl, String user, String password, int maxPoolSize) {
        this(jdbcUrl, user, password, maxPoolSize, DEFAULT_CONNECTION_TIMEOUT);
    }

    /** The node default: an embedded H2 file {@code <dataDir>/cascade.mv.db}. */
    public static DatabaseConfig h2File(Path dataDir, int maxPoolSize) {
        return new DatabaseConfig("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("cascade"), "sa", "",
                maxPoolSize);
    }

    @Override
    public String toString() {
        // Configs end up in startup logs; the password must not.
        return "DatabaseConfig[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", maxPoolSize=" + maxPoolSize + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
