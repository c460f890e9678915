package live.cascade.sfu.bwe;

/**
 * The acknowledged bitrate: bytes the viewer reported received per second of its arrival clock, over the last
 * {@value #WINDOW_NANOS} ns. A ring of (arrival, bytes) in primitive arrays with a running sum; packets come in arrival
 * order within a feedback (the estimator sorts them), and one a little older than the newest is still counted.
 */
final class AckedBitrate {
    static final long WINDOW_NANOS = 300_000_000L;
    private static final int CAPACITY = 1 << 12;
    private static final int MASK = CAPACITY - 1;

    private final long[] arrival = new long[CAPACITY];
    private final int[] bytes = new int[CAPACITY];
    private int head;
    private int size;
    private long sum;
    private long newest = Long.MIN_VALUE;
    private long firstArrival = Long.MIN_VALUE;

    void add(long arrivalNanos, int packetBytes) {
        if (firstArrival == Long.MIN_VALUE) firstArrival = arrivalNanos;
        if (size == CAPACITY) evictOldest();
        int slot = (head + size) & MASK;
        arrival[slot] = arrivalNanos;
        bytes[slot] = packetBytes;
        size++;
        sum += packetBytes;
        if (arrivalNanos > newest) newest = arrivalNanos;
        while (size > 0 && newest - arrival[head] > WINDOW_NANOS) evictOldest();
    }

    private void evictOldest() {
        sum -= bytes[head];
        head = (head + 1) & MASK;
        size--;
    }

    /** Bits per second over the window, -1 before a window's worth of arrivals. */
    long bitsPerSecond() {
        if (size == 0 || newest - firstArrival < WINDOW_NANOS / 2) return -1;
        long span = Math.max(WINDOW_NANOS / 2, Math.min(WINDOW_NANOS, newest - firstArrival));
        return sum * 8 * 1_000_000_000L / span;
    }

    void reset() {
        head = size = 0;
        sum = 0;
        newest = firstArrival = Long.MIN_VALUE;
    }
}
