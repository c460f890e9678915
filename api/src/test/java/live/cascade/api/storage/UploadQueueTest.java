package live.cascade.api.storage;

import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UploadQueueTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final List<Long> ran = new ArrayList<>();
    private int failuresLeft;

    private UploadQueue queue(int max) throws Exception {
        return new UploadQueue(dir, max, Duration.ofSeconds(1), Duration.ofSeconds(30), clock, id -> {
            ran.add(id);
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new StorageException("store down", true);
            }
        });
    }

    @Test
    void aFailedUploadIsRetriedWithDoublingBackoffUntilItSucceeds() throws Exception {
        UploadQueue q = queue(10);
        failuresLeft = 3;
        assertThat(q.submit(7)).isTrue();
        assertThat(q.runDue()).isTrue(); // fails: next in 1 s
        assertThat(q.runDue()).as("not due before its backoff").isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(q.runDue()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(q.runDue()).isTrue(); // fails: next in 2 s
        clock.advance(Duration.ofMillis(1999));
        assertThat(q.runDue()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(q.runDue()).isTrue(); // fails: next in 4 s
        clock.advance(Duration.ofSeconds(4));
        assertThat(q.runDue()).isTrue(); // succeeds
        assertThat(ran).containsExactly(7L, 7L, 7L, 7L);
        assertThat(q.failures()).isEqualTo(3);
        assertThat(q.uploaded()).isEqualTo(1);
        assertThat(q.backlog()).isZero();
        assertThat(q.lastError()).isEqualTo("store down");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).as("the job file goes once the upload is done").isEmpty();
        }
    }

    @Test
    void theBackoffStopsGrowingAtItsMaximum() throws Exception {
        UploadQueue q = queue(10);
        assertThat(q.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(q.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(q.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(q.backoff(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pastTheBacklogBoundNewUploadsAreRefusedAndCountedUntilThereIsRoom() throws Exception {
        UploadQueue q = queue(2);
        failuresLeft = Integer.MAX_VALUE;
        assertThat(q.submit(1)).isTrue();
        assertThat(q.submit(2)).isTrue();
        assertThat(q.submit(1)).as("queued already: not a new job").isTrue();
        assertThat(q.submit(3)).isFalse();
        assertThat(q.submit(4)).isFalse();
        assertThat(q.backlog()).isEqualTo(2);
        assertThat(q.refused()).isEqualTo(2);
        failuresLeft = 0;
        while (q.runDue()) { /* both due now */ }
        assertThat(q.backlog()).isZero();
        assertThat(q.submit(3)).as("room again").isTrue();
    }

    @Test
    void jobsLeftOnDiskByAStoppedNodeAreResumedAndRunAtOnce() throws Exception {
        UploadQueue first = queue(10);
        failuresLeft = 1;
        first.submit(11);
        first.submit(12);
        first.runDue(); // 11 fails and waits 1 s
        first.close();
        ran.clear();
        UploadQueue second = queue(10);
        assertThat(second.backlog()).isEqualTo(2);
        assertThat(second.queued(11)).isTrue();
        while (second.runDue()) { /* both due at once after a restart */ }
        assertThat(ran).containsExactlyInAnyOrder(11L, 12L);
        assertThat(second.backlog()).isZero();
    }

    @Test
    void anUnreadableJobFileIsSkippedNotFatal() throws Exception {
        Files.writeString(dir.resolve("5.job"), "garbage");
        Files.writeString(dir.resolve("6.job"), "0 0\n");
        UploadQueue q = queue(10);
        assertThat(q.queued(5)).isFalse();
        assertThat(q.queued(6)).isTrue();
    }

    @Test
    void theWorkerThreadUploadsWithoutTheCallerWaiting() throws Exception {
        UploadQueue q = new UploadQueue(dir, 10, Duration.ofMillis(10), Duration.ofMillis(50), java.time.Clock.systemUTC(), id -> ran.add(id));
        q.start();
        try {
            q.submit(21);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (q.uploaded() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(q.uploaded()).isEqualTo(1);
        } finally {
            q.close();
        }
    }
}
