package live.cascade.sfu.receive;

/**
 * One router's in/out/drop counters per {@link Stage}: plain longs written by the router's worker thread only, so a
 * stage pays an array increment. {@link #flush} hands what accumulated since the last flush to the process-wide
 * {@link StageTotals} (on the tick, never per packet).
 */
public final class StageCounters {
    private static final int N = Stage.VALUES.length;
    private final long[] counts = new long[3 * N];
    private final long[] flushed = new long[3 * N];
    private final StageTotals totals;

    public StageCounters(StageTotals totals) { this.totals = totals; }

    void in(int stage) { counts[stage]++; }

    void out(int stage) { counts[N + stage]++; }

    void out(int stage, int n) { counts[N + stage] += n; }

    void drop(int stage) { counts[2 * N + stage]++; }

    /** The fan-out's count, from outside this package: {@code n} copies of one packet handed on. */
    public void fannedOut(int n) {
        counts[Stage.FAN_OUT.ordinal()]++;
        counts[N + Stage.FAN_OUT.ordinal()] += n;
    }

    public long in(Stage stage) { return counts[stage.ordinal()]; }

    public long out(Stage stage) { return counts[N + stage.ordinal()]; }

    public long dropped(Stage stage) { return counts[2 * N + stage.ordinal()]; }

    /** Adds the counts since the previous flush to the totals; allocation-free, a few atomic adds at most. */
    public void flush() {
        for (int i = 0; i < counts.length; i++) {
            long delta = counts[i] - flushed[i];
            if (delta != 0) {
                totals.add(i, delta);
                flushed[i] = counts[i];
            }
        }
    }

    static int slots() { return 3 * N; }
}
