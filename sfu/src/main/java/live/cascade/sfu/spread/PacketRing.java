package live.cascade.sfu.spread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer, single-consumer ring of packets between two media workers: {@code capacity}
 * preallocated slots of {@code slotSize} bytes, each owned by one side at a time. The producer copies a packet into
 * the slot at {@code tail} and then publishes {@code tail + 1}; the consumer reads the slots between its {@code head}
 * and the published tail, hands each to its handler, and then publishes its new head, which returns those slots to
 * the producer. Nothing blocks and nothing is allocated per packet: a full ring drops the new packet and counts it
 * ({@link #dropped()}), as a full socket buffer would (the receiving router NACKs what it misses).
 *
 * <p><b>Memory model.</b> A slot's bytes and length are plain writes. The producer's store of the tail (volatile, which includes release)
 * comes after its writes to the slot, and the consumer reads the tail with {@code getAcquire} before reading the
 * slot, so the consumer sees the whole packet (release/acquire gives happens-before). The other direction is the
 * same: the consumer publishes its head with {@code setRelease} only after it has finished reading the slots, and
 * the producer reads the head with {@code getAcquire} before it reuses one, so a slot is never overwritten while
 * it is read. Each index has exactly one writer, so no compare-and-set is needed. The producer keeps a private copy
 * of the head and re-reads the shared one only when the ring looks full, the consumer one of the tail per drain, so
 * a packet costs one ordered store on each side. {@code head} and {@code tail} sit in separate objects padded
 * apart, so the two threads do not bounce one cache line on every packet.
 */
public final class PacketRing {
    /** What a drained packet is handed to, on the consumer's thread; the buffer is reused after it returns. */
    @FunctionalInterface
    public interface Handler {
        void onPacket(int tag, byte[] buf, int off, int len);
    }

    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(Sequence.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One published index, padded so head and tail do not share a cache line. */
    @SuppressWarnings("unused")
    static final class Sequence {
        long p0, p1, p2, p3, p4, p5, p6;
        volatile long value;
        long q0, q1, q2, q3, q4, q5, q6;
    }

    private final byte[][] slots;
    private final int[] lengths;
    private final int[] tags;
    private final int mask;
    private final int slotSize;
    private final Sequence head = new Sequence();
    private final Sequence tail = new Sequence();

    // Producer-owned.
    private long producerTail;
    private long cachedHead;
    private volatile long dropped;
    private volatile long oversize;

    // Consumer-owned.
    private long consumerHead;

    /**
     * @param capacity slots, a power of two
     * @param slotSize bytes per slot: the largest packet this ring carries plus the room its consumer needs after it
     */
    public PacketRing(int capacity, int slotSize) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity must be a power of two ≥ 2: " + capacity);
        if (slotSize < 12) throw new IllegalArgumentException("slot too small: " + slotSize);
        this.slots = new byte[capacity][slotSize];
        this.lengths = new int[capacity];
        this.tags = new int[capacity];
        this.mask = capacity - 1;
        this.slotSize = slotSize;
    }

    public int capacity() { return slots.length; }

    /** The largest packet a slot takes. */
    public int slotSize() { return slotSize; }

    /**
     * Producer thread only: copies the packet into the next free slot and publishes it. Never blocks.
     *
     * @return false when the ring is full (the packet is dropped and counted) or the packet is larger than a slot
     */
    public boolean offer(int tag, byte[] buf, int off, int len) {
        if (len > slotSize || len < 0) {
            oversize = oversize + 1; // single writer: a plain increment published by the volatile write
            return false;
        }
        long t = producerTail;
        if (t - cachedHead >= slots.length) {
            cachedHead = (long) SEQ.getAcquire(head);
            if (t - cachedHead >= slots.length) {
                dropped = dropped + 1;
                return false;
            }
        }
        int i = (int) t & mask;
        System.arraycopy(buf, off, slots[i], 0, len);
        lengths[i] = len;
        tags[i] = tag;
        producerTail = t + 1;
        // Volatile rather than release: the pipe's wake-up reads its flag right after this, and a store followed by
        // a load needs the full fence (Dekker) or a drain that just went idle could miss this packet.
        SEQ.setVolatile(tail, t + 1);
        return true;
    }

    /**
     * Consumer thread only: hands every published packet, oldest first, to {@code handler}, at most {@code max}, and
     * returns their slots to the producer.
     *
     * @return how many packets were handed over
     */
    public int drain(Handler handler, int max) {
        long h = consumerHead;
        long available = (long) SEQ.getAcquire(tail) - h;
        int n = (int) Math.min(available, max);
        try {
            for (int k = 0; k < n; k++) {
                int i = (int) (h + k) & mask;
                handler.onPacket(tags[i], slots[i], 0, lengths[i]);
            }
        } finally {
            // Released even when a handler throws, so the producer is never stuck behind a bad packet.
            consumerHead = h + n;
            SEQ.setRelease(head, h + n);
        }
        return n;
    }

    /**
     * True when nothing is published and unread. Exact on the consumer's thread; from elsewhere a moment's view.
     * The volatile read orders it after whatever the caller wrote before (the pipe's wake-up flag relies on it).
     */
    public boolean isEmpty() { return tail.value == head.value; }

    /** Packets dropped because the ring was full. */
    public long dropped() { return dropped; }

    /** Packets dropped because they did not fit a slot. */
    public long oversize() { return oversize; }
}
