package live.cascade.sfu.engine;

/**
 * How long incoming RTP spent in the node, all media workers together (see {@link MediaEngine#forwardDelays()}):
 * packets per bucket, not cumulative (bucket {@code i} holds delays above bound {@code i-1} up to bound {@code i}; the
 * last bound is {@code +Inf}), and the sum of every delay.
 */
public record ForwardDelayHistogram(double[] upperBoundsSeconds, long[] counts, double sumSeconds) {
    public ForwardDelayHistogram {
        if (upperBoundsSeconds.length != counts.length) throw new IllegalArgumentException("one count per bound");
        upperBoundsSeconds = upperBoundsSeconds.clone();
        counts = counts.clone();
    }

    @Override
    public double[] upperBoundsSeconds() { return upperBoundsSeconds.clone(); }

    @Override
    public long[] counts() { return counts.clone(); }
}
