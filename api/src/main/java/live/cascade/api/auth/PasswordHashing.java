package live.cascade.api.auth;

import live.cascade.api.http.ApiException;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs every Argon2 hash and verification on a few platform threads of its own (at most cores − 1, at least one) with
 * a bounded queue. Argon2 is seconds of CPU per hundred calls and 19 MiB each: on the request's virtual thread it
 * would pin the carriers, the same cores every other request needs, and a signup flood would starve probes, chat and
 * WHIP/WHEP signalling. Here a flood waits in the queue, and past it gets 503 with Retry-After at once.
 */
public final class PasswordHashing implements AutoCloseable {
    private final PasswordHasher hasher;
    private final ThreadPoolExecutor pool;
    private final Refusals refusals;
    private final int threads;
    /** Smoothed cost of one task in ms, for Retry-After; updated racily, which only blurs an estimate. */
    private volatile double averageMillis = 50;

    public PasswordHashing(PasswordHasher hasher, int requestedThreads, int queueSize, Refusals refusals) {
        this.hasher = hasher;
        this.refusals = refusals;
        this.threads = threadsFor(requestedThreads, Runtime.getRuntime().availableProcessors());
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueSize),
                Thread.ofPlatform().daemon().name("password-hash-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** {@code requested} (0 = as many as allowed) capped at cores − 1, and never below one. */
    static int threadsFor(int requested, int cores) {
        int most = Math.max(1, cores - 1);
        return requested <= 0 ? most : Math.min(requested, most);
    }

    public int threads() {
        return threads;
    }

    /** Hashes and verifications finished since start. */
    long completed() {
        return pool.getCompletedTaskCount();
    }

    /** Tasks waiting for a thread now. */
    int queued() {
        return pool.getQueue().size();
    }

    public String hash(String password) {
        return run(() -> hasher.hash(password));
    }

    public boolean verify(String password, String phc) {
        return run(() -> hasher.verify(password, phc));
    }

    /** Runs {@code work} on the hashing threads and waits for it; 503 when the queue is full. */
    <T> T run(Callable<T> work) {
        Future<T> f;
        try {
            f = pool.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    return work.call();
                } finally {
                    averageMillis = averageMillis * 0.9 + (System.nanoTime() - t0) / 1e6 * 0.1;
                }
            });
        } catch (RejectedExecutionException e) {
            refusals.count(RefusalReason.PASSWORD_HASHING_BUSY);
            long wait = retryAfterSeconds();
            throw new ApiException(503, "Service Unavailable", "The server is checking too many passwords at once; try again in "
                    + wait + " s.").header("Retry-After", Long.toString(wait));
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a password hash", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** How long the queue as it is now takes to drain, in whole seconds, at least one. */
    private long retryAfterSeconds() {
        double ms = (pool.getQueue().size() + threads) * averageMillis / threads;
        return Math.max(1, (long) Math.ceil(ms / 1000));
    }

    /** Stops the threads; requests still waiting in the queue fail (CancellationException) rather than wait forever. */
    @Override
    public void close() {
        for (Runnable queued : pool.shutdownNow()) {
            if (queued instanceof Future<?> f) f.cancel(false);
        }
    }
}
