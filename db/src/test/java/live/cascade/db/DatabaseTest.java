package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @Test
    void pingAgainstAClosedPortFailsFast() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/test");
        config.setUsername("postgres");
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start the pool although nothing answers, as after an outage
        long start = System.nanoTime();
        try (HikariDataSource dead = new HikariDataSource(config)) {
            assertThatThrownBy(() -> Database.ping(dead, 1))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("SELECT 1");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void openingAgainstAClosedPortFailsFastWithUnavailable() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open(new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test", "postgres",
                "", 2, Duration.ofSeconds(1)))).isInstanceOf(DatabaseUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void h2FileKeepsDataAcrossCloseAndReopen(@TempDir Path dataDir) {
        DatabaseConfig config = DatabaseConfig.h2File(dataDir, 2);
        long id;
        try (Database db = Database.open(config)) {
            id = db.users().create("alice", "a@example.org", "h", Role.USER).id();
            db.channels().create(id, "chan", "t", "c", java.util.List.of("x"), "k", "e");
        }
        assertThat(dataDir.resolve("cascade.mv.db")).exists();
        assertThat(dataDir.resolve("cascade.lock.db")).doesNotExist();

        // Reopening runs Flyway again (nothing to do) and finds the data: the file was closed cleanly.
        try (Database db = Database.open(config)) {
            assertThat(db.users().findById(id)).isPresent();
            assertThat(db.users().findById(id).orElseThrow().role()).isEqualTo(Role.ADMIN);
            assertThat(db.channels().findBySlug("chan").orElseThrow().tags()).containsExactly("x");
        }
    }

    @Test
    void h2UrlGetsTheSettingsOurSqlNeeds() {
        JdbcUrl file = JdbcUrl.of("jdbc:h2:file:/data/cascade");
        assertThat(file.dialect()).isEqualTo(SQLDialect.H2);
        assertThat(file.embeddedH2()).isTrue();
        assertThat(file.url()).isEqualTo("jdbc:h2:file:/data/cascade;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");

        JdbcUrl mem = JdbcUrl.of("jdbc:h2:mem:x;mode=postgresql;LOCK_TIMEOUT=500");
        assertThat(mem.url()).isEqualTo("jdbc:h2:mem:x;mode=postgresql;LOCK_TIMEOUT=500;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");

        JdbcUrl remote = JdbcUrl.of("jdbc:h2:tcp://db.internal/cascade");
        assertThat(remote.embeddedH2()).isFalse();
        assertThat(remote.url()).doesNotContain("DB_CLOSE");

        assertThatThrownBy(() -> JdbcUrl.of("jdbc:h2:mem:x;MODE=MySQL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODE=PostgreSQL");
        assertThatThrownBy(() -> JdbcUrl.of("jdbc:mysql://x/y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postgresUrlIsUsedAsGiven() {
        JdbcUrl pg = JdbcUrl.of("jdbc:postgresql://db/cascade?sslmode=require&password=s3cret");
        assertThat(pg.dialect()).isEqualTo(SQLDialect.POSTGRES);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db/cascade?sslmode=require&password=s3cret");
        assertThat(pg.redacted()).doesNotContain("s3cret");
    }

    @Test
    void poolMetricsGoToTheGivenRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Database.open(new DatabaseConfig("jdbc:h2:mem:metrics" + System.nanoTime(), "sa", "", 2),
                registry)) {
            db.ping();
            assertThat(registry.find("hikaricp.connections.max").tag("pool", "cascade-db").gauge()).isNotNull();
        }
    }

    @Test
    void configHidesThePassword() {
        assertThat(new DatabaseConfig("jdbc:postgresql://x/y", "u", "hunter2", 4).toString())
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:h2:mem:x", "sa", "", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataDirDefaultUrl(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        assertThat(DatabaseConfig.h2File(dir, 4).jdbcUrl()).isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath()
                + "/cascade");
    }
}
