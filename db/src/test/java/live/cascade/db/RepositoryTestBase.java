package live.cascade.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every test of a subclass once on H2 (fast lane) and once on PostgreSQL (integration lane), each test on its own
 * empty database (see {@link Backend#inThisLane()}).
 */
@Tag("database")
@ParameterizedClass(name = "{0}")
@MethodSource("live.cascade.db.Backend#inThisLane")
abstract class RepositoryTestBase {

    @Parameter
    Backend backend;

    TestDatabases.Handle handle;
    Database db;

    private final AtomicInteger sequence = new AtomicInteger();

    @BeforeEach
    void openDatabase() {
        handle = TestDatabases.open(backend);
        db = handle.database();
    }

    @AfterEach
    void closeDatabase() {
        if (handle != null) {
            handle.close();
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    User user(String name) {
        return db.users().create(name, name + "@example.org", "hash-" + name, Role.USER);
    }

    User anyUser() {
        return user("user" + sequence.incrementAndGet());
    }

    Channel channel(User owner, String slug) {
        return channel(owner, slug, "Title of " + slug, "Games", List.of());
    }

    Channel channel(User owner, String slug, String title, String category, List<String> tags) {
        return db.channels().create(owner.id(), slug, title, category, tags, "keyhash-" + slug, "keyenc-" + slug);
    }
}
