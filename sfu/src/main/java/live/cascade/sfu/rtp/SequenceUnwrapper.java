package live.cascade.sfu.rtp;

/**
 * Turns 16-bit sequence numbers into an extended 64-bit count that keeps increasing across wraps (65535 → 0 becomes
 * 65535 → 65536). Late packets map behind the highest value seen, so reordering is unwrapped consistently.
 */
public final class SequenceUnwrapper {
    private boolean started;
    private long highest;

    public void reset() { started = false; highest = 0; }

    /** Extended value of {@code seq}; the first value seen maps to itself. */
    public long unwrap(int seq) {
        seq &= SequenceNumbers.MASK;
        if (!started) {
            started = true;
            highest = seq;
            return seq;
        }
        long ext = highest + SequenceNumbers.diff(seq, (int) (highest & SequenceNumbers.MASK));
        if (ext > highest) highest = ext;
        return ext;
    }

    public boolean started() { return started; }

    /** Highest extended value seen so far. */
    public long highest() { return highest; }
}
