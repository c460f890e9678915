package live.cascade.bench.load;

/**
 * One received RTP stream's sequence numbers: what arrived once, twice, late (after we had seen the gap), and what is
 * still missing. A ring of the last {@value #WINDOW} numbers; older gaps count as lost for good. Written by the
 * viewer's reactor thread only; allocates nothing per packet.
 */
final class SequenceTracker {
    static final int WINDOW = 1024;
    private static final int MASK = WINDOW - 1;

    /** What {@link #onPacket} found. */
    static final int NEW = 0;
    static final int DUPLICATE = 1;
    static final int RECOVERED = 2;
    static final int TOO_OLD = 3;

    private final boolean[] seen = new boolean[WINDOW];
    private long first = -1;
    private long highest = -1;
    private long unique;
    private long duplicates;
    private long recovered;

    /** Records sequence number {@code seq} (16 bits as sent); returns {@link #NEW}, {@link #DUPLICATE}, ... */
    int onPacket(int seq) {
        if (highest < 0) {
            first = highest = seq + 0x10000L; // room below for reordering at the very start
            seen[(int) (highest & MASK)] = true;
            unique++;
            return NEW;
        }
        long ext = unwrap(seq);
        if (ext > highest) {
            // Forget the slots the window moves past: numbers we skip over are missing until they arrive.
            long from = Math.max(highest + 1, ext - WINDOW + 1);
            for (long s = from; s <= ext; s++) seen[(int) (s & MASK)] = false;
            highest = ext;
            seen[(int) (ext & MASK)] = true;
            unique++;
            return NEW;
        }
        if (ext <= highest - WINDOW || ext < first) return TOO_OLD;
        int slot = (int) (ext & MASK);
        if (seen[slot]) {
            duplicates++;
            return DUPLICATE;
        }
        seen[slot] = true;
        unique++;
        recovered++;
        return RECOVERED;
    }

    /**
     * Writes up to {@code max} sequence numbers (16 bits) still missing among the last {@code span} numbers into
     * {@code out}; returns how many.
     */
    int missing(int span, int[] out, int max) {
        if (highest < 0) return 0;
        int n = 0;
        long from = Math.max(first, highest - Math.min(span, WINDOW - 1));
        for (long s = from; s < highest && n < max; s++) if (!seen[(int) (s & MASK)]) out[n++] = (int) (s & 0xFFFF);
        return n;
    }

    /** Numbers from the first to the highest received: what should have arrived. */
    long expected() { return highest < 0 ? 0 : highest - first + 1; }

    long unique() { return unique; }

    long duplicates() { return duplicates; }

    long recovered() { return recovered; }

    /** Extended highest sequence number, as an RTCP receiver report carries it. */
    long highest() { return highest < 0 ? 0 : highest; }

    private long unwrap(int seq) {
        long c = (highest & ~0xFFFFL) | (seq & 0xFFFF);
        if (c - highest > 0x8000) c -= 0x10000;
        else if (highest - c > 0x8000) c += 0x10000;
        return c;
    }
}
