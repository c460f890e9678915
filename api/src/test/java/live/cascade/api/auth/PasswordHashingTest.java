package live.cascade.api.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import live.cascade.api.http.ApiException;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PasswordHashingTest {
    @Test
    void usesAtMostAllCoresButOneAndAlwaysAtLeastOneThread() {
        assertThat(PasswordHashing.threadsFor(0, 1)).isEqualTo(1);
        assertThat(PasswordHashing.threadsFor(0, 2)).isEqualTo(1);
        assertThat(PasswordHashing.threadsFor(0, 8)).isEqualTo(7);
        assertThat(PasswordHashing.threadsFor(16, 8)).isEqualTo(7);
        assertThat(PasswordHashing.threadsFor(2, 8)).isEqualTo(2);
        assertThat(PasswordHashing.threadsFor(4, 1)).isEqualTo(1);
    }

    @Test
    void hashesOnItsOwnPlatformThreadsAndVerifiesWhatItHashed() {
        try (PasswordHashing hashing = new PasswordHashing(new PasswordHasher(), 0, 4, new Refusals(new SimpleMeterRegistry()))) {
            String phc = hashing.hash("correct horse battery");
            assertThat(hashing.verify("correct horse battery", phc)).isTrue();
            assertThat(hashing.verify("wrong horse battery", phc)).isFalse();
            Thread worker = hashing.run(Thread::currentThread);
            assertThat(worker.getName()).startsWith("password-hash-");
            assertThat(worker.isVirtual()).isFalse();
        }
    }

    @Test
    void aFullQueueIsRefusedAtOnceWith503AndRetryAfterAndCounted() throws Exception {
        Refusals refusals = new Refusals(new SimpleMeterRegistry());
        try (PasswordHashing hashing = new PasswordHashing(new PasswordHasher(), 1, 1, refusals)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Own threads: the common pool may have a single worker on a small machine.
            ExecutorService callers = Executors.newFixedThreadPool(2);
            Future<Integer> first = callers.submit(() -> hashing.run(() -> {
                running.countDown();
                release.await();
                return 1;
            }));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Integer> second = callers.submit(() -> hashing.run(() -> 2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hashing.queued() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(hashing.queued()).isEqualTo(1);

            long t0 = System.nanoTime();
            ApiException refused = catchThrowableOfType(ApiException.class, () -> hashing.run(() -> 3));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("refused without waiting").isLessThan(1000);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(Long.parseLong(refused.headers().get("Retry-After"))).isPositive();
            assertThat(refused.getMessage()).contains("try again in");
            assertThat(refusals.total(RefusalReason.PASSWORD_HASHING_BUSY)).isEqualTo(1);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(hashing.run(() -> 4)).as("room again once the queue drained").isEqualTo(4);
            callers.shutdown();
        }
    }

    @Test
    void closingFailsWhatStillWaitsInTheQueueInsteadOfLeavingItHanging() throws Exception {
        PasswordHashing hashing = new PasswordHashing(new PasswordHasher(), 1, 4, new Refusals(new SimpleMeterRegistry()));
        CountDownLatch running = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        callers.submit(() -> hashing.run(() -> {
            running.countDown();
            new CountDownLatch(1).await(); // until interrupted by close
            return 1;
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Integer> waiting = callers.submit(() -> hashing.run(() -> 2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hashing.queued() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
        hashing.close();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
        callers.shutdownNow();
    }
}
