package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every backend's {@link Database} does when opened and closed (H2 in the fast lane, PostgreSQL in the other). */
@Tag("database")
class DatabaseBackendsTest {

    @ParameterizedTest
    @MethodSource("live.cascade.db.Backend#inThisLane")
    void pingAnswersQuickly(Backend backend) {
        try (TestDatabases.Handle handle = TestDatabases.open(backend)) {
            assertThat(handle.database().ping()).isLessThan(Duration.ofSeconds(2));
            assertThat(handle.database().kind()).isEqualTo(backend.name());
        }
    }

    @ParameterizedTest
    @MethodSource("live.cascade.db.Backend#inThisLane")
    void pingAfterCloseReportsUnavailable(Backend backend) {
        TestDatabases.Handle handle = TestDatabases.open(backend);
        handle.close();

        assertThatThrownBy(() -> handle.database().ping()).isInstanceOf(DatabaseUnavailableException.class);
        handle.database().close(); // idempotent
    }
}
