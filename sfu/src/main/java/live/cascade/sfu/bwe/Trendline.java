package live.cascade.sfu.bwe;

/**
 * The trendline filter of GoogCC's delay-based estimator: the delay variations of consecutive packet groups are
 * summed into an accumulated one-way delay, smoothed exponentially, and a least-squares line is fitted through the
 * last {@link #WINDOW} (arrival time, smoothed delay) points. Its slope says whether queues along the path are
 * growing (positive), stable (about zero) or draining (negative); unlike a Kalman filter on single deltas, a
 * reordered or jittery packet moves it little. Times in milliseconds as doubles, in fixed arrays, nothing allocated.
 */
final class Trendline {
    static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int count;
    private int head;
    private boolean haveFirst;
    private long firstArrivalNanos;
    private double accumulated;
    private double smoothed;
    private int deltas;
    private double slope;

    /**
     * Adds one group pair's delay variation ({@code arrivalDelta - sendDelta}) observed at {@code arrivalNanos};
     * returns the slope (0 until the window is full).
     */
    double update(double delayVariationMs, long arrivalNanos) {
        if (!haveFirst) {
            haveFirst = true;
            firstArrivalNanos = arrivalNanos;
        }
        if (deltas < 1000) deltas++;
        accumulated += delayVariationMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        times[head] = (arrivalNanos - firstArrivalNanos) / 1e6;
        delays[head] = smoothed;
        head = (head + 1) % WINDOW;
        if (count < WINDOW) count++;
        if (count == WINDOW) slope = fit();
        return slope;
    }

    private double fit() {
        double sumT = 0, sumD = 0;
        for (int i = 0; i < count; i++) {
            sumT += times[i];
            sumD += delays[i];
        }
        double meanT = sumT / count, meanD = sumD / count;
        double num = 0, den = 0;
        for (int i = 0; i < count; i++) {
            double dt = times[i] - meanT;
            num += dt * (delays[i] - meanD);
            den += dt * dt;
        }
        return den == 0 ? slope : num / den;
    }

    /** Group pairs seen so far (capped at 1,000), which scales the detector's view of the slope. */
    int deltas() { return deltas; }

    void reset() {
        count = head = deltas = 0;
        haveFirst = false;
        accumulated = smoothed = slope = 0;
    }
}
