package live.cascade.sfu.receive;

import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * Decides which of one incoming stream's lost packets to ask for again (generic NACK, RFC 4585 §6.2.1), without
 * turning sustained loss into a NACK storm.
 *
 * <ul>
 *   <li>A gap in the extended sequence numbers adds each missing number to a bounded, ordered list. A gap larger
 *       than the list can take is not repaired packet by packet: {@link #onPacket} says {@link #GAP_TOO_LARGE} and the
 *       caller asks for a keyframe instead.</li>
 *   <li>{@link #collect} names each missing number first once it has been missing for the reordering delay, then
 *       again whenever the retry interval (about one round trip) has passed since the last request, at most
 *       {@code maxRetries} times; a number still missing after that many requests, or older than {@code maxAge},
 *       is given up. So every lost packet costs a bounded number of requests whatever the loss rate, and the caller
 *       sends what one collect returns as one NACK packet.</li>
 *   <li>A packet that arrives after being requested once gives a round-trip sample (request to retransmission);
 *       {@link #roundTripNanos()} smooths them for the caller's retry interval.</li>
 * </ul>
 * Sequence numbers are extended (64-bit, unwrapped by the caller); {@link #collect} returns their 16-bit values.
 * Allocation-free; one per incoming stream, on its worker thread.
 */
public final class NackGenerator {
    /** {@link #onPacket} outcomes. */
    public static final int IN_ORDER = 0;
    /** A packet we were missing (a retransmission, or one that was late). */
    public static final int RECOVERED = 1;
    /** Already received, or older than anything still missing. */
    public static final int DUPLICATE_OR_LATE = 2;
    /** The packet opened a gap too large to repair; the missing list was cleared. */
    public static final int GAP_TOO_LARGE = 3;

    private final int capacity;
    private final int maxRetries;
    private final long maxAgeNanos;
    private final long reorderDelayNanos;
    private final long[] missing;
    private final long[] detectedAt;
    private final long[] lastSentAt;
    private final int[] retries;
    private int count;

    private boolean started;
    private long highest;
    private long roundTripNanos = -1;

    private long requested;
    private long recovered;
    private long givenUp;
    private long gapsTooLarge;

    /**
     * @param capacity          most missing packets tracked at once
     * @param maxRetries        most requests per missing packet
     * @param maxAgeNanos       a packet missing longer than this is given up
     * @param reorderDelayNanos how long a packet must be missing before the first request (reordering tolerance)
     */
    public NackGenerator(int capacity, int maxRetries, long maxAgeNanos, long reorderDelayNanos) {
        if (capacity < 1 || maxRetries < 1 || maxAgeNanos <= 0 || reorderDelayNanos < 0) {
            throw new IllegalArgumentException("bad NACK limits");
        }
        this.capacity = capacity;
        this.maxRetries = maxRetries;
        this.maxAgeNanos = maxAgeNanos;
        this.reorderDelayNanos = reorderDelayNanos;
        this.missing = new long[capacity];
        this.detectedAt = new long[capacity];
        this.lastSentAt = new long[capacity];
        this.retries = new int[capacity];
    }

    /** Forgets the stream (new publisher). The round-trip estimate is kept: same path, most likely. */
    public void reset() {
        count = 0;
        started = false;
        highest = 0;
    }

    /** Accounts an arriving packet with extended sequence number {@code ext}; returns one of the outcome constants. */
    public int onPacket(long ext, long nowNanos) {
        if (!started) {
            started = true;
            highest = ext;
            return IN_ORDER;
        }
        if (ext == highest + 1) {
            highest = ext;
            return IN_ORDER;
        }
        if (ext > highest) {
            long gap = ext - highest - 1;
            if (gap > capacity - count) {
                count = 0;
                highest = ext;
                gapsTooLarge++;
                return GAP_TOO_LARGE;
            }
            for (long e = highest + 1; e < ext; e++) {
                missing[count] = e;
                detectedAt[count] = nowNanos;
                lastSentAt[count] = 0;
                retries[count] = 0;
                count++;
            }
            highest = ext;
            return IN_ORDER;
        }
        int i = indexOf(ext);
        if (i < 0) return DUPLICATE_OR_LATE;
        if (retries[i] == 1) {
            // One request, one answer: the interval is a clean round-trip sample (with the sender's reaction time).
            long sample = nowNanos - lastSentAt[i];
            roundTripNanos = roundTripNanos < 0 ? sample : roundTripNanos + (sample - roundTripNanos) / 8;
        }
        remove(i);
        recovered++;
        return RECOVERED;
    }

    /** Binary search in the ordered list. */
    private int indexOf(long ext) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = missing[mid];
            if (v < ext) lo = mid + 1;
            else if (v > ext) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    private void remove(int i) {
        int tail = count - i - 1;
        if (tail > 0) {
            System.arraycopy(missing, i + 1, missing, i, tail);
            System.arraycopy(detectedAt, i + 1, detectedAt, i, tail);
            System.arraycopy(lastSentAt, i + 1, lastSentAt, i, tail);
            System.arraycopy(retries, i + 1, retries, i, tail);
        }
        count--;
    }

    /** Stops asking for packets before {@code ext} (a keyframe at {@code ext} makes them unnecessary). */
    public void clearBefore(long ext) {
        int k = 0;
        while (k < count && missing[k] < ext) k++;
        if (k == 0) return;
        int tail = count - k;
        System.arraycopy(missing, k, missing, 0, tail);
        System.arraycopy(detectedAt, k, detectedAt, 0, tail);
        System.arraycopy(lastSentAt, k, lastSentAt, 0, tail);
        System.arraycopy(retries, k, retries, 0, tail);
        count = tail;
    }

    /**
     * Writes into {@code out} (oldest first, 16-bit values) the sequence numbers to request now and counts them as
     * requested; drops those given up. Returns how many were written (at most {@code out.length}).
     *
     * @param retryIntervalNanos minimum time between two requests for the same packet
     */
    public int collect(long nowNanos, long retryIntervalNanos, int[] out) {
        int n = 0;
        int w = 0;
        for (int r = 0; r < count; r++) {
            boolean expired = retries[r] >= maxRetries || nowNanos - detectedAt[r] > maxAgeNanos;
            if (expired) {
                givenUp++;
                continue;
            }
            if (w != r) {
                missing[w] = missing[r];
                detectedAt[w] = detectedAt[r];
                lastSentAt[w] = lastSentAt[r];
                retries[w] = retries[r];
            }
            boolean due = retries[w] == 0
                    ? nowNanos - detectedAt[w] >= reorderDelayNanos
                    : nowNanos - lastSentAt[w] >= retryIntervalNanos;
            if (due && n < out.length) {
                out[n++] = (int) (missing[w] & SequenceNumbers.MASK);
                retries[w]++;
                lastSentAt[w] = nowNanos;
                requested++;
            }
            w++;
        }
        count = w;
        return n;
    }

    /** Packets currently missing and not given up. */
    public int missingCount() { return count; }

    /** Highest extended sequence number seen. */
    public long highest() { return highest; }

    /** Smoothed request-to-retransmission time, -1 before the first sample. */
    public long roundTripNanos() { return roundTripNanos; }

    /** Sequence numbers requested so far (each retry counts). */
    public long requestedCount() { return requested; }

    public long recoveredCount() { return recovered; }

    public long givenUpCount() { return givenUp; }

    public long gapsTooLargeCount() { return gapsTooLarge; }
}
