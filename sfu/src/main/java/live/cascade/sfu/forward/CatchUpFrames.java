package live.cascade.sfu.forward;

import live.cascade.sfu.rtp.Timestamps;

/**
 * The frames of one catch-up, in the order sent: each one's input timestamp and the output timestamp it was given,
 * so a packet of it sent again gets the same. Input timestamps grow through a catch-up (the cache is sent in
 * order), so a lookup is a binary search. Two int arrays of {@value #CAPACITY} (8 KB), made once per consumer that
 * catches up; a catch-up longer than that (34 s of 30 fps, past any cache) keeps the first {@value #CAPACITY}.
 */
final class CatchUpFrames {
    static final int CAPACITY = 1024;

    private final int[] in = new int[CAPACITY];
    private final int[] out = new int[CAPACITY];
    private int size;

    void clear() { size = 0; }

    boolean isEmpty() { return size == 0; }

    /** Whether a frame with this input timestamp comes after the newest recorded one (true when none is). */
    boolean isNewer(long inTimestamp) {
        return size == 0 || Timestamps.diff(inTimestamp, in[size - 1] & Timestamps.MASK) > 0;
    }

    /** Records a frame; frames past the capacity are not recorded. */
    void add(long inTimestamp, long outTimestamp) {
        if (size == CAPACITY) return;
        in[size] = (int) inTimestamp;
        out[size] = (int) outTimestamp;
        size++;
    }

    /** The newest recorded frame's output timestamp, {@code otherwise} when none is. */
    long newestOut(long otherwise) {
        return size == 0 ? otherwise : out[size - 1] & Timestamps.MASK;
    }

    /** The output timestamp the frame with this input timestamp was given, -1 when it is not recorded. */
    long outFor(long inTimestamp) {
        if (size == 0) return -1;
        long first = in[0] & Timestamps.MASK;
        long key = Timestamps.diff(inTimestamp, first);
        if (key < 0) return -1;
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long d = Timestamps.diff(in[mid] & Timestamps.MASK, first);
            if (d < key) lo = mid + 1;
            else if (d > key) hi = mid - 1;
            else return out[mid] & Timestamps.MASK;
        }
        return -1;
    }
}
