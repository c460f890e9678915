package live.cascade.api.durability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writes a node must not lose (stream sessions, viewer sessions, recording rows), run one at a time, in the order
 * they were submitted, on one thread of their own: media and request threads never wait on SQL for them.
 *
 * <p>One global order, not one per key, because the writes depend on each other: a viewer session names the stream
 * session its channel's start created, and a recording names the broadcast it belongs to. Each write resolves such
 * references when it runs (a viewer-session write looks up the live stream session then), and everything submitted
 * before it has run by then, so a reference is never missing because of the queue.
 *
 * <p>A write that fails because the database is unreachable (the failure says so, or a probe right after it finds
 * no database) is retried, the same write again, with exponential backoff from {@code firstBackoff} up to
 * {@code maxBackoff}, until it succeeds; the writes behind it wait, so the order holds through an outage. A write the
 * database answered and refused (a constraint, a bug) is logged and dropped: retrying would never help and would
 * stop every write behind it.
 *
 * <p>Memory is bounded: past {@code capacity} waiting writes a new one is refused, counted
 * ({@code cascade_db_write_queue_overflow_total}) and, once per overflow episode, logged. The oldest are kept because
 * later writes refer to them (a broadcast's start matters more than its hundredth viewer).
 */
public final class DatabaseWriteQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWriteQueue.class);
    /** While the database is down and nothing waits, how often it is probed, so the outage's end is noticed. */
    static final Duration IDLE_PROBE = Duration.ofSeconds(1);
    /** The first wait after a failed attempt; each further one doubles, up to the configured cap. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** How long a stopping node keeps writing what is queued before it gives up. */
    static final Duration DRAIN_AT_CLOSE = Duration.ofSeconds(5);

    /** Asks the database a trivial question; throws when it does not answer. */
    @FunctionalInterface
    public interface Probe {
        void ping();
    }

    /** Waits between retries; tests substitute one that records the waits. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private record Write(String what, Runnable op) {
    }

    private final LinkedBlockingDeque<Write> pending;
    private final int capacity;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Probe probe;
    private final DatabaseOutage outage;
    private final Sleeper sleeper;
    private final Thread writer;
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong droppedThisEpisode = new AtomicLong();
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean inFlight;
    private volatile boolean closing;

    public DatabaseWriteQueue(int capacity, Duration firstBackoff, Duration maxBackoff, Probe probe, DatabaseOutage outage) {
        this(capacity, firstBackoff, maxBackoff, probe, outage, d -> Thread.sleep(d.toMillis()));
    }

    DatabaseWriteQueue(int capacity, Duration firstBackoff, Duration maxBackoff, Probe probe, DatabaseOutage outage, Sleeper sleeper) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        this.capacity = capacity;
        this.pending = new LinkedBlockingDeque<>(capacity);
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff.compareTo(firstBackoff) < 0 ? firstBackoff : maxBackoff;
        this.probe = probe;
        this.outage = outage;
        this.sleeper = sleeper;
        this.writer = Thread.ofPlatform().daemon().name("db-writes").start(this::run);
    }

    /**
     * Queues {@code op} (it runs on the writer thread, possibly several times if the database is unreachable, so it
     * must be safe to repeat after a failure). Returns false when it was not queued: the queue is full (counted and
     * logged) or the node is stopping.
     */
    public boolean submit(String what, Runnable op) {
        if (closing) {
            LOG.warn("node is stopping; not recorded: {}", what);
            return false;
        }
        if (pending.offerLast(new Write(what, op))) return true;
        overflowed.incrementAndGet();
        droppedThisEpisode.incrementAndGet();
        if (overflowing.compareAndSet(false, true)) {
            LOG.error("database write queue full ({} writes waiting{}): new writes are dropped until it drains; first dropped: {}. "
                    + "Raise --db-write-queue if outages this long are expected.", capacity,
                    outage.isDown() ? ", database unreachable since " + outage.current().since() : "", what);
        }
        return false;
    }

    /** Writes waiting, including one being written or retried. */
    public int depth() {
        return pending.size() + (inFlight ? 1 : 0);
    }

    public int capacity() { return capacity; }

    /** Writes refused because the queue was full, since start. */
    public long overflowed() { return overflowed.get(); }

    /** Writes the database refused for good (logged and dropped), since start. */
    public long failed() { return failed.get(); }

    /** Attempts that found the database unreachable and were repeated, since start. */
    public long retries() { return retries.get(); }

    public long written() { return written.get(); }

    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("cascade_db_write_queue_depth", this, DatabaseWriteQueue::depth)
                .description("Database writes (stream and viewer sessions, recordings) waiting, e.g. for the database to come back")
                .register(registry);
        FunctionCounter.builder("cascade_db_write_queue_overflow", this, DatabaseWriteQueue::overflowed)
                .description("Database writes dropped because the write queue was full (see --db-write-queue)")
                .register(registry);
        FunctionCounter.builder("cascade_db_write_retries", this, DatabaseWriteQueue::retries)
                .description("Database write attempts that found the database unreachable and were retried")
                .register(registry);
        FunctionCounter.builder("cascade_db_writes_failed", this, DatabaseWriteQueue::failed)
                .description("Database writes the database refused (logged and dropped, not retried)")
                .register(registry);
    }

    private void run() {
        try {
            while (true) {
                Write w = pending.pollFirst(IDLE_PROBE.toMillis(), TimeUnit.MILLISECONDS);
                if (w == null) {
                    if (closing) return;
                    if (outage.isDown()) reachable(); // the end of an outage is noticed even when nothing is written
                    continue;
                }
                inFlight = true;
                try {
                    writeUntilDone(w);
                } finally {
                    inFlight = false;
                }
                endOverflowEpisode();
                if (closing && pending.isEmpty()) return;
            }
        } catch (InterruptedException e) {
            int left = depth();
            if (left > 0) LOG.error("node stopped with {} database write(s) still queued (database unreachable?); they are not recorded", left);
        }
    }

    private void writeUntilDone(Write w) throws InterruptedException {
        Duration backoff = firstBackoff;
        while (true) {
            try {
                w.op().run();
                written.incrementAndGet();
                outage.reportUp();
                return;
            } catch (RuntimeException e) {
                if (!DatabaseOutage.isUnreachable(e) && reachable()) {
                    failed.incrementAndGet();
                    LOG.error("could not {}: {} (the database refused it; not retried)", w.what(), e.toString());
                    return;
                }
                outage.reportDown("writing: " + w.what(), e);
                retries.incrementAndGet();
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(maxBackoff) > 0) backoff = maxBackoff;
            }
        }
    }

    /** Probes the database, telling the outage tracker what it found. */
    private boolean reachable() {
        try {
            probe.ping();
            outage.reportUp();
            return true;
        } catch (RuntimeException e) {
            outage.reportDown("probe", e);
            return false;
        }
    }

    private void endOverflowEpisode() {
        if (overflowing.get() && pending.size() <= capacity / 2 && overflowing.compareAndSet(true, false)) {
            LOG.warn("database write queue drained to {}: {} write(s) had been dropped while it was full",
                    pending.size(), droppedThisEpisode.getAndSet(0));
        }
    }

    /** Writes what is queued (for at most {@link #DRAIN_AT_CLOSE}: the database may be away), then stops the writer. */
    @Override
    public void close() {
        closing = true;
        pending.offerLast(new Write("wake the writer", () -> { })); // an idle writer stops now, not at its next poll
        try {
            writer.join(DRAIN_AT_CLOSE.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
