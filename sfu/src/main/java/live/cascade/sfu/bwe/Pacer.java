package live.cascade.sfu.bwe;

/**
 * The pacer of one viewer transport: a token bucket at {@value #PACING_FACTOR} × the bandwidth estimate in front of
 * the worker's send path, so a keyframe burst leaves as a train the viewer's link can carry instead of overrunning its
 * bottleneck queue. Packets are copied into a bounded queue of slots (at most {@link #slots} × slot size, one array)
 * and released by {@link #release} into the transport's ordinary send (which batches them into the worker's flush, so
 * batching and GSO still apply). The array starts at {@link #INITIAL_SLOTS} slots and doubles when the queue outgrows
 * it: most viewers' queues never hold more than a few packets, and 128 slots of 1.5 KB for each of a thousand viewers
 * would be 190 MB of heap held for nothing. Grown storage is given back by {@link #trim} once the queue has stayed
 * short for a while (an overload or a catch-up burst passed), so a viewer that once queued 128 packets does not hold
 * 190 KB for the rest of its session. A full queue drops its oldest packet that is not part of a keyframe
 * (counted); keyframe packets go last, as losing one costs the viewer a whole group of pictures.
 *
 * <p>Allocation-free once the queue has reached its high-water mark (a growth or a trim allocates: at most five
 * growths between trims, and a trim at most once per {@link #TRIM_WINDOW_NANOS}), no locks: one per viewer
 * transport, on its worker thread.
 */
public final class Pacer {
    public static final double PACING_FACTOR = 2.5;
    /** How much may leave at once after the queue was idle: this long at the pacing rate (and two packets at least). */
    static final long BURST_NANOS = 10_000_000L;
    /** Slots with storage at the start (the array doubles up to the queue's bound as needed). */
    static final int INITIAL_SLOTS = 8;
    /**
     * Storage is trimmed to twice the longest queue of the last one to two of these windows. Long enough that a
     * stream whose keyframes (every 1–4 s) grow the queue keeps the slots it needs for them instead of giving them
     * back and growing again at each one; short enough that an overload's 190 KB goes within seconds of its end.
     */
    static final long TRIM_WINDOW_NANOS = 5_000_000_000L;

    /** Where released packets go: the transport's send, and the estimator's send-time record. */
    public interface Output {
        /** Sends {@code len} bytes at {@code buf[off]} (tail room after them is the pacer's); {@code transportSeq} or -1. */
        void sendPaced(byte[] buf, int off, int len, int transportSeq, long nowNanos);
    }

    private final int slots;
    private final int slotSize;
    private byte[] data;
    /** Slots with storage now: numbers 0 … allocated − 1. */
    private int allocated;
    private final int[] length;
    private final int[] transportSeq;
    private final boolean[] keyframe;
    /** Queue order: slot numbers, oldest first, as a ring over {@code order}. */
    private final int[] order;
    private final int[] free;
    private int freeCount;
    private int head;
    private int size;

    private long tokens;
    private long lastRefillNanos = Long.MIN_VALUE;
    private long queuedBytes;

    private long dropped;
    private long released;

    private long trimWindowStartNanos = Long.MIN_VALUE;
    /** The longest the queue was in this trim window and in the one before. */
    private int windowMaxQueued, previousWindowMaxQueued;

    /**
     * @param slots    packets the queue holds
     * @param slotSize bytes per slot: the largest packet plus the tail room its send needs (SRTP tag)
     */
    public Pacer(int slots, int slotSize) {
        if (slots < 2 || slotSize < 64) throw new IllegalArgumentException("slots " + slots + ", size " + slotSize);
        this.slots = slots;
        this.slotSize = slotSize;
        this.allocated = Math.min(slots, INITIAL_SLOTS);
        this.data = new byte[allocated * slotSize];
        this.length = new int[slots];
        this.transportSeq = new int[slots];
        this.keyframe = new boolean[slots];
        this.order = new int[slots];
        this.free = new int[slots];
        for (int i = 0; i < allocated; i++) free[i] = allocated - 1 - i;
        this.freeCount = allocated;
    }

    /** Doubles the slots with storage (up to the bound); the new ones become free. */
    private void grow() {
        int grown = Math.min(slots, allocated * 2);
        data = java.util.Arrays.copyOf(data, grown * slotSize);
        for (int i = grown - 1; i >= allocated; i--) free[freeCount++] = i;
        allocated = grown;
    }

    /**
     * Queues a copy of {@code buf[0, len)}; {@code len} must leave the slot's tail room (at most slot size minus the
     * tail room the caller's send needs). A full queue first drops its oldest non-keyframe packet.
     */
    public void enqueue(byte[] buf, int len, int seq, boolean keyframePacket) {
        if (len > slotSize) throw new IllegalArgumentException("packet of " + len + " > slot " + slotSize);
        if (freeCount == 0 && allocated < slots) grow();
        if (freeCount == 0) dropOne();
        int slot = free[--freeCount];
        System.arraycopy(buf, 0, data, slot * slotSize, len);
        length[slot] = len;
        transportSeq[slot] = seq;
        keyframe[slot] = keyframePacket;
        order[(head + size) % slots] = slot;
        size++;
        if (size > windowMaxQueued) windowMaxQueued = size;
        queuedBytes += len;
    }

    /**
     * Called on the transport's timer: once per {@link #TRIM_WINDOW_NANOS}, if the queue is empty and its longest in
     * this window and the one before would fit in a quarter of the storage, the storage shrinks to twice that
     * length (at least {@link #INITIAL_SLOTS}). Only an empty queue is trimmed, so no packet moves.
     */
    public void trim(long nowNanos) {
        if (trimWindowStartNanos == Long.MIN_VALUE) trimWindowStartNanos = nowNanos;
        if (nowNanos - trimWindowStartNanos < TRIM_WINDOW_NANOS) return;
        int recent = Math.max(previousWindowMaxQueued, windowMaxQueued);
        previousWindowMaxQueued = windowMaxQueued;
        windowMaxQueued = size;
        trimWindowStartNanos = nowNanos;
        if (size != 0 || allocated <= INITIAL_SLOTS) return;
        int wanted = Math.max(INITIAL_SLOTS, ceilingPowerOfTwo(2 * recent));
        if (recent * 4 > allocated || wanted >= allocated) return;
        data = new byte[wanted * slotSize];
        allocated = wanted;
        freeCount = 0;
        for (int i = wanted - 1; i >= 0; i--) free[freeCount++] = i;
        head = 0;
    }

    private static int ceilingPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    private void dropOne() {
        int victim = 0; // position in queue order
        while (victim < size && keyframe[order[(head + victim) % slots]]) victim++;
        if (victim == size) victim = 0; // all keyframe: the oldest goes
        int slot = order[(head + victim) % slots];
        // Close the gap: move the older entries up by one (at most the queue length of ints).
        for (int i = victim; i > 0; i--) order[(head + i) % slots] = order[(head + i - 1) % slots];
        head = (head + 1) % slots;
        size--;
        queuedBytes -= length[slot];
        free[freeCount++] = slot;
        dropped++;
    }

    /**
     * The common case without a copy: when nothing waits and the bucket has room, {@code buf[0, len)} goes straight
     * to {@code out} (the caller's buffer, with the caller's tail room) and this returns true; otherwise the caller
     * {@link #enqueue}s it.
     */
    public boolean sendIfIdle(byte[] buf, int len, int seq, long nowNanos, long rateBps, Output out) {
        if (size > 0) return false;
        long paceBps = refill(nowNanos, rateBps);
        if (paceBps > 0 && tokens <= 0) return false;
        if (paceBps > 0) tokens -= len;
        released++;
        out.sendPaced(buf, 0, len, seq, nowNanos);
        return true;
    }

    /**
     * Audio: {@code buf[0, len)} goes to {@code out} now, ahead of whatever is queued, as WebRTC's own pacer sends it.
     * Held behind a queued keyframe or a catch-up, audio would reach the viewer tens of milliseconds late in bursts;
     * its audio jitter buffer would grow to cover them, and audio/video sync would then hold every video frame back as
     * far. Its bytes still come out of the bucket, so the video behind it is paced for what the link carried.
     */
    public void sendAhead(byte[] buf, int len, int seq, long nowNanos, long rateBps, Output out) {
        if (refill(nowNanos, rateBps) > 0) tokens -= len;
        released++;
        out.sendPaced(buf, 0, len, seq, nowNanos);
    }

    /** Adds the tokens earned since the last call; returns the pacing rate (0: none). */
    private long refill(long nowNanos, long rateBps) {
        long paceBps = rateBps <= 0 ? 0 : (long) (PACING_FACTOR * rateBps);
        long depth = Math.max(3000, paceBps / 8 * BURST_NANOS / 1_000_000_000L);
        if (lastRefillNanos == Long.MIN_VALUE) {
            lastRefillNanos = nowNanos;
            tokens = depth; // an idle start: one burst's worth may leave at once
        }
        long elapsed = Math.max(0, nowNanos - lastRefillNanos);
        lastRefillNanos = nowNanos;
        if (paceBps > 0) tokens = Math.min(depth, tokens + paceBps / 8 * elapsed / 1_000_000_000L);
        return paceBps;
    }

    /**
     * Releases what the bucket allows at {@code rateBps} (≤ 0: no limit, everything goes) into {@code out}.
     * The first packet of a drain may overdraw the bucket, so a packet larger than the burst still leaves.
     */
    public void release(long nowNanos, long rateBps, Output out) {
        long paceBps = refill(nowNanos, rateBps);
        long depth = Math.max(3000, paceBps / 8 * BURST_NANOS / 1_000_000_000L);
        while (size > 0 && (paceBps <= 0 || tokens > 0)) {
            int slot = order[head];
            head = (head + 1) % slots;
            size--;
            int len = length[slot];
            queuedBytes -= len;
            tokens -= len;
            free[freeCount++] = slot;
            released++;
            out.sendPaced(data, slot * slotSize, len, transportSeq[slot], nowNanos);
        }
        if (size == 0 && tokens > depth) tokens = depth;
    }

    public boolean isEmpty() { return size == 0; }

    /** How long what is queued takes to leave at {@code rateBps} (its pacing rate), 0 when nothing waits or no limit. */
    public long drainNanos(long rateBps) {
        if (size == 0 || rateBps <= 0) return 0;
        return (long) (queuedBytes * 8e9 / (PACING_FACTOR * rateBps));
    }

    public int queuedPackets() { return size; }

    public long queuedBytes() { return queuedBytes; }

    /** Packets dropped because the queue was full. */
    public long dropped() { return dropped; }

    public long released() { return released; }

    public int slotSize() { return slotSize; }

    /** Packets the queue may hold (its bound, whatever it has grown to so far). */
    public int capacity() { return slots; }

    /** Bytes of packet storage held now (grows with the queue's high-water mark, up to capacity × slot size). */
    public int storageBytes() { return data.length; }
}
