package live.cascade.api.durability;

import live.cascade.db.DatabaseException;
import live.cascade.db.DatabaseUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue against a fake database that can be switched off: writes stay in order through an outage, the waits
 * between attempts double up to the cap, a full queue refuses and counts, and a write the database refuses is dropped
 * without holding up the others.
 */
class DatabaseWriteQueueTest {
    /** A database that is up or down; a write appends its name to {@code rows} while it is up. */
    static final class FakeDatabase {
        volatile boolean up = true;
        final List<String> rows = new CopyOnWriteArrayList<>();

        void ping() {
            if (!up) throw new DatabaseUnavailableException("connection refused", null);
        }

        Runnable insert(String row) {
            return () -> {
                ping();
                rows.add(row);
            };
        }
    }

    static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within 10 s");
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void writesQueuedDuringAnOutageAreWrittenInOrderOnceItEndsWithWaitsDoublingUpToTheCap() {
        FakeDatabase db = new FakeDatabase();
        db.up = false;
        DatabaseOutage outage = new DatabaseOutage(Clock.systemUTC());
        List<Duration> waits = new CopyOnWriteArrayList<>();
        // The database comes back after the seventh wait.
        DatabaseWriteQueue.Sleeper sleeper = d -> {
            waits.add(d);
            if (waits.size() == 7) db.up = true;
        };
        try (DatabaseWriteQueue q = new DatabaseWriteQueue(100, Duration.ofMillis(100), Duration.ofMillis(1000), db::ping, outage, sleeper)) {
            for (int i = 1; i <= 5; i++) assertThat(q.submit("row " + i, db.insert("row " + i))).isTrue();
            await("all written", () -> db.rows.size() == 5 && q.depth() == 0);
            assertThat(db.rows).containsExactly("row 1", "row 2", "row 3", "row 4", "row 5");
            assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                    Duration.ofMillis(800), Duration.ofMillis(1000), Duration.ofMillis(1000), Duration.ofMillis(1000));
            assertThat(q.retries()).isEqualTo(7);
            assertThat(q.written()).isEqualTo(5);
            assertThat(q.overflowed()).isZero();
            assertThat(outage.isDown()).as("the outage ended with the first write that got through").isFalse();
        }
    }

    @Test
    void aFullQueueRefusesNewWritesAndCountsThemWhileKeepingTheOldestInOrder() throws Exception {
        FakeDatabase db = new FakeDatabase();
        db.up = false;
        DatabaseOutage outage = new DatabaseOutage(Clock.systemUTC());
        CountDownLatch back = new CountDownLatch(1);
        // Every wait blocks until the test brings the database back.
        DatabaseWriteQueue.Sleeper sleeper = d -> {
            if (back.await(10, TimeUnit.SECONDS)) db.up = true;
        };
        try (DatabaseWriteQueue q = new DatabaseWriteQueue(3, Duration.ofMillis(1), Duration.ofMillis(1), db::ping, outage, sleeper)) {
            assertThat(q.submit("first", db.insert("first"))).isTrue();
            await("the writer holds the first write, retrying it", () -> q.retries() == 1);
            assertThat(outage.isDown()).isTrue();
            for (int i = 2; i <= 4; i++) assertThat(q.submit("row " + i, db.insert("row " + i))).as("row " + i).isTrue();
            assertThat(q.depth()).isEqualTo(4);
            assertThat(q.submit("row 5", db.insert("row 5"))).isFalse();
            assertThat(q.submit("row 6", db.insert("row 6"))).isFalse();
            assertThat(q.overflowed()).isEqualTo(2);

            back.countDown();
            await("the queue drains", () -> q.depth() == 0 && db.rows.size() == 4);
            assertThat(db.rows).containsExactly("first", "row 2", "row 3", "row 4");
            // Room again: a new write is taken and written.
            assertThat(q.submit("row 7", db.insert("row 7"))).isTrue();
            await("row 7 written", () -> db.rows.size() == 5);
            assertThat(q.overflowed()).isEqualTo(2);
        }
    }

    @Test
    void aWriteTheDatabaseRefusesIsDroppedAndCountedAndTheNextOneIsWritten() {
        FakeDatabase db = new FakeDatabase();
        List<Duration> waits = new CopyOnWriteArrayList<>();
        try (DatabaseWriteQueue q = new DatabaseWriteQueue(10, Duration.ofMillis(1), Duration.ofMillis(1), db::ping,
                new DatabaseOutage(Clock.systemUTC()), waits::add)) {
            q.submit("bad", () -> {
                throw new DatabaseException("duplicate key value violates unique constraint", null);
            });
            q.submit("good", db.insert("good"));
            await("the good write", () -> db.rows.size() == 1);
            assertThat(q.failed()).isEqualTo(1);
            assertThat(waits).as("a refused write is not retried").isEmpty();
            assertThat(q.retries()).isZero();
        }
    }

    @Test
    void aFailureThatDoesNotSayUnreachableIsRetriedWhenTheProbeFindsNoDatabase() {
        FakeDatabase db = new FakeDatabase();
        db.up = false;
        List<Duration> waits = new CopyOnWriteArrayList<>();
        DatabaseWriteQueue.Sleeper sleeper = d -> {
            waits.add(d);
            db.up = true;
        };
        try (DatabaseWriteQueue q = new DatabaseWriteQueue(10, Duration.ofMillis(1), Duration.ofMillis(1), db::ping,
                new DatabaseOutage(Clock.systemUTC()), sleeper)) {
            q.submit("odd failure", () -> {
                if (!db.up) throw new IllegalStateException("socket closed");
                db.rows.add("written");
            });
            await("written on the second attempt", () -> db.rows.size() == 1);
            assertThat(waits).hasSize(1);
            assertThat(q.failed()).isZero();
        }
    }
}
