package live.cascade.sfu.dtls;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many DTLS handshakes of a node may be working (between two flights) at once. Each session keeps its own virtual
 * thread (Bouncy Castle's handshake blocks between flights, and a blocked virtual thread costs nothing), but a
 * handshake holds a slot only while it works on a flight (ECDHE, the ECDSA signature, the peer certificate's
 * verification, the key schedule) and gives it back whenever it waits for the peer's next one
 * ({@link QueuedDatagramTransport#receive}).
 *
 * <p>Why a bound of its own: the sessions' virtual threads share the scheduler's carriers with Jetty's request threads,
 * so without it nothing says how many handshakes compute at once, how many wait, or for how long; with it a flood of
 * joins is a queue with a depth ({@link #waiting}) and a wait ({@link #waitedSeconds}) that {@code /metrics} shows. The
 * node's bound ({@link #forProcessors}) is deliberately loose: tighter ones were measured to throttle joins.
 * Slots are not handed out strictly in arrival order: a handshake that is running when a slot frees takes it rather
 * than leaving it idle until a parked waiter is scheduled again.
 *
 * <p>A waiter gives up only at its handshake's own deadline ({@link #acquire}), or when its session is closed (the
 * interrupt). Thread-safe; read from any thread for {@code /metrics}.
 */
public final class HandshakeSlots {
    /** No bound: every handshake computes whenever its thread runs (the load tool's thousands of client ends). */
    public static final HandshakeSlots UNBOUNDED = new HandshakeSlots();

    private final int slots;
    private final Semaphore semaphore;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder waitedNanos = new LongAdder();

    /** @param slots handshakes that may compute at the same time, at least 1 */
    public HandshakeSlots(int slots) {
        if (slots < 1) throw new IllegalArgumentException("handshake slots must be at least 1: " + slots);
        this.slots = slots;
        this.semaphore = new Semaphore(slots);
    }

    private HandshakeSlots() {
        this.slots = 0;
        this.semaphore = null;
    }

    /**
     * Four slots per processor: a safety valve, not a throttle. A server handshake computes for a few milliseconds
     * (see {@link DtlsWarmUp}), but on a busy machine a slot holder is often not running (descheduled, or unmounted
     * after a brief park and queued for a carrier) with its slot in hand, so a bound near the core count starved joins
     * in the capacity runs (docs/performance.md: one slot per two cores queued up to 179 handshakes, one per core 37).
     * This one is meant to engage only in a flood past what the cores can handshake, where it keeps the excess queued
     * and counted instead of all of it working, and slowing down, together.
     */
    public static HandshakeSlots forProcessors(int processors) {
        return new HandshakeSlots(4 * Math.max(1, processors));
    }

    /** The bound, or 0 when {@link #UNBOUNDED}. */
    public int slots() { return slots; }

    /** Handshakes waiting for a slot now: the queue depth. */
    public int waiting() { return waiting.get(); }

    /** Slots held now: handshakes working between two flights (running, or not yet scheduled again). */
    public int busy() { return semaphore == null ? 0 : slots - semaphore.availablePermits(); }

    /** Time all handshakes have spent waiting for a slot, summed, in seconds. */
    public double waitedSeconds() { return waitedNanos.sum() / 1e9; }

    /**
     * Waits for a slot until {@code deadlineNanos} ({@link System#nanoTime()}); true when the caller now holds one and
     * must {@link #release} it.
     *
     * @throws InterruptedException when the session is closed while it waits (it holds no slot then)
     */
    public boolean acquire(long deadlineNanos) throws InterruptedException {
        if (semaphore == null) return true;
        if (semaphore.tryAcquire()) return true;
        long start = System.nanoTime();
        waiting.incrementAndGet();
        try {
            return semaphore.tryAcquire(Math.max(0, deadlineNanos - start), TimeUnit.NANOSECONDS);
        } finally {
            waiting.decrementAndGet();
            waitedNanos.add(System.nanoTime() - start);
        }
    }

    /** Gives back a slot {@link #acquire} granted. */
    public void release() {
        if (semaphore != null) semaphore.release();
    }

    @Override
    public String toString() {
        return semaphore == null ? "HandshakeSlots[unbounded]"
                : "HandshakeSlots[" + busy() + "/" + slots + " busy, " + waiting() + " waiting]";
    }
}
