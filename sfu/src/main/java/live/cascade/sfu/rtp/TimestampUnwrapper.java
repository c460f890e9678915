package live.cascade.sfu.rtp;

/** As {@link SequenceUnwrapper}, for 32-bit RTP timestamps. */
public final class TimestampUnwrapper {
    private boolean started;
    private long highest;

    public void reset() { started = false; highest = 0; }

    public long unwrap(long ts) {
        ts &= Timestamps.MASK;
        if (!started) {
            started = true;
            highest = ts;
            return ts;
        }
        long ext = highest + Timestamps.diff(ts, highest & Timestamps.MASK);
        if (ext > highest) highest = ext;
        return ext;
    }

    public boolean started() { return started; }

    public long highest() { return highest; }
}
