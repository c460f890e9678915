package live.cascade.sfu.bwe;

/**
 * The acknowledged bitrate: bytes the viewer reported received per second of its arrival clock, over the last
 * {@value #WINDOW_NANOS} ns. A ring of (arrival, bytes) in primitive arrays with a running sum; packets come in arrival
 * order within a feedback (the estimator sorts them), and one a little older than the newest is still counted.
 *
 * <p>The ring starts at {@value #INITIAL_CAPACITY} packets (a window of about 8 Mbit/s in 1,200-byte packets) and
 * doubles when a window holds more, up to {@value #MAX_CAPACITY} (over 100 Mbit/s); beyond that the oldest goes early.
 * Sized for the highest rate from the start it was 48 KB per viewer.
 */
final class AckedBitrate {
    static final long WINDOW_NANOS = 300_000_000L;
    static final int INITIAL_CAPACITY = 1 << 8;
    static final int MAX_CAPACITY = 1 << 12;

    private long[] arrival = new long[INITIAL_CAPACITY];
    private int[] bytes = new int[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;
    private int head;
    private int size;
    private long sum;
    private long newest = Long.MIN_VALUE;
    private long firstArrival = Long.MIN_VALUE;

    void add(long arrivalNanos, int packetBytes) {
        if (firstArrival == Long.MIN_VALUE) firstArrival = arrivalNanos;
        if (size == mask + 1) {
            if (size < MAX_CAPACITY) grow();
            else evictOldest();
        }
        int slot = (head + size) & mask;
        arrival[slot] = arrivalNanos;
        bytes[slot] = packetBytes;
        size++;
        sum += packetBytes;
        if (arrivalNanos > newest) newest = arrivalNanos;
        while (size > 0 && newest - arrival[head] > WINDOW_NANOS) evictOldest();
    }

    private void evictOldest() {
        sum -= bytes[head];
        head = (head + 1) & mask;
        size--;
    }

    /** Doubles the full ring, oldest first at 0. Allocates, at most four times. */
    private void grow() {
        long[] arrivals = new long[size * 2];
        int[] sizes = new int[size * 2];
        for (int i = 0; i < size; i++) {
            arrivals[i] = arrival[(head + i) & mask];
            sizes[i] = bytes[(head + i) & mask];
        }
        arrival = arrivals;
        bytes = sizes;
        head = 0;
        mask = size * 2 - 1;
    }

    /** Packets the ring can hold now. */
    int capacity() { return mask + 1; }

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
