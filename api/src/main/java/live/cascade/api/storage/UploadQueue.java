package live.cascade.api.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Uploads waiting for the store, kept on disk ({@code <dir>/<id>.job}: attempts and the time of the next one) so a
 * node restarted mid-upload picks them up again. One thread works through them, oldest due first; a failed attempt
 * waits {@code firstBackoff}, doubling up to {@code maxBackoff}. The backlog is bounded: past {@code maxBacklog} a
 * new upload is refused (counted), and its files stay where they are, served from the local disk, until the caller
 * offers it again once there is room. Nothing here ever waits on the store from a caller's thread.
 */
public final class UploadQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadQueue.class);
    private static final String SUFFIX = ".job";

    /** Moves one item (a recording) to the store; throws to be retried later. */
    @FunctionalInterface
    public interface Task {
        void run(long id) throws Exception;
    }

    private record Job(long id, int attempts, Instant due) {
    }

    private final Path dir;
    private final int maxBacklog;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Task task;
    private final Map<Long, Job> jobs = new HashMap<>();
    private final PriorityQueue<Job> byDue = new PriorityQueue<>(Comparator.comparing(Job::due).thenComparingLong(Job::id));
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastSuccessAt;
    private Thread worker;
    private volatile boolean closed;

    public UploadQueue(Path dir, int maxBacklog, Duration firstBackoff, Duration maxBackoff, Clock clock, Task task) throws IOException {
        this.dir = dir;
        this.maxBacklog = maxBacklog;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.task = task;
        Files.createDirectories(dir);
        resume();
    }

    /** Takes up the jobs a previous run of the node left (crashed or stopped mid-upload). */
    private void resume() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
                read(f).ifPresent(j -> {
                    // Due now: the store may well be back since the node stopped.
                    Job now = new Job(j.id(), j.attempts(), clock.instant());
                    jobs.put(now.id(), now);
                    byDue.add(now);
                });
            }
        }
        if (!jobs.isEmpty()) LOG.info("{} upload(s) to object storage resumed from {}", jobs.size(), dir);
    }

    private Optional<Job> read(Path f) {
        String name = f.getFileName().toString();
        try {
            long id = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            String[] v = Files.readString(f, StandardCharsets.UTF_8).strip().split(" ");
            return Optional.of(new Job(id, Integer.parseInt(v[0]), Instant.ofEpochMilli(Long.parseLong(v[1]))));
        } catch (IOException | RuntimeException e) {
            // A torn write of a crashed node: the caller's next offer of that item queues it anew.
            LOG.warn("ignoring unreadable upload job {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    private void write(Job j) throws IOException {
        Path tmp = dir.resolve(j.id() + SUFFIX + ".tmp");
        Files.writeString(tmp, j.attempts() + " " + j.due().toEpochMilli() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(j.id() + SUFFIX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Queues item {@code id} (kept on disk first). True when it is queued (or already was); false when the backlog is
     * full or the job cannot be written, in which case the item stays local and should be offered again later.
     */
    public synchronized boolean submit(long id) {
        if (jobs.containsKey(id)) return true;
        if (closed) return false;
        if (jobs.size() >= maxBacklog) {
            if (refused.getAndIncrement() == 0 || refused.get() % 100 == 0) {
                LOG.warn("upload backlog full ({} waiting, --storage-upload-backlog); recording {} stays on local disk until there is room", jobs.size(), id);
            }
            return false;
        }
        Job j = new Job(id, 0, clock.instant());
        try {
            write(j);
        } catch (IOException e) {
            LOG.warn("cannot queue the upload of {} in {}: {}", id, dir, e.toString());
            return false;
        }
        jobs.put(id, j);
        byDue.add(j);
        notifyAll();
        return true;
    }

    /** Runs the first job that is due, if any (the worker's step; tests drive it with their clock). */
    public boolean runDue() {
        Job j;
        synchronized (this) {
            j = byDue.peek();
            if (j == null || j.due().isAfter(clock.instant())) return false;
            byDue.poll();
        }
        try {
            task.run(j.id());
            finished(j);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(j, e);
        } catch (Exception e) {
            retryLater(j, e);
        }
        return true;
    }

    private synchronized void finished(Job j) {
        jobs.remove(j.id());
        try {
            Files.deleteIfExists(dir.resolve(j.id() + SUFFIX));
        } catch (IOException e) {
            LOG.warn("cannot remove upload job {}: {} (it will run once more, and find nothing to do)", j.id(), e.toString());
        }
        done.incrementAndGet();
        lastSuccessAt = clock.instant();
    }

    private synchronized void retryLater(Job j, Exception e) {
        failures.incrementAndGet();
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        lastErrorAt = clock.instant();
        int attempts = j.attempts() + 1;
        Duration wait = backoff(attempts);
        Job next = new Job(j.id(), attempts, clock.instant().plus(wait));
        if (attempts == 1 || Long.bitCount(attempts) == 1) {
            LOG.warn("upload of recording {} failed (attempt {}), next in {}: {}", j.id(), attempts, wait, lastError);
        }
        try {
            write(next);
        } catch (IOException io) {
            LOG.warn("cannot update upload job {}: {}", j.id(), io.toString());
        }
        jobs.put(j.id(), next);
        byDue.add(next);
    }

    /** {@code firstBackoff} after the first failure, doubling, never more than {@code maxBackoff}. */
    Duration backoff(int attempts) {
        long ms = firstBackoff.toMillis();
        for (int i = 1; i < attempts && ms < maxBackoff.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    /** Starts the worker thread (a platform thread: uploads block on sockets for long). */
    public synchronized void start() {
        if (worker != null) return;
        worker = Thread.ofPlatform().daemon().name("storage-uploads").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            if (runDue()) continue;
            synchronized (this) {
                if (closed) return;
                Job next = byDue.peek();
                long waitMs = next == null ? 1000 : Math.max(1, Duration.between(clock.instant(), next.due()).toMillis());
                try {
                    wait(Math.min(waitMs, 1000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Tries every waiting upload now (the store is back, or a test wants it). */
    public synchronized void retryNow() {
        java.util.List<Job> all = java.util.List.copyOf(byDue);
        byDue.clear();
        for (Job j : all) {
            Job now = new Job(j.id(), j.attempts(), clock.instant());
            jobs.put(j.id(), now);
            byDue.add(now);
        }
        notifyAll();
    }

    public synchronized int backlog() { return jobs.size(); }

    public int maxBacklog() { return maxBacklog; }

    public synchronized boolean queued(long id) { return jobs.containsKey(id); }

    public long uploaded() { return done.get(); }

    public long failures() { return failures.get(); }

    public long refused() { return refused.get(); }

    public String lastError() { return lastError; }

    public Instant lastErrorAt() { return lastErrorAt; }

    public Instant lastSuccessAt() { return lastSuccessAt; }

    /** Stops the worker; jobs not done stay on disk for the next start. */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            closed = true;
            notifyAll();
            w = worker;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
