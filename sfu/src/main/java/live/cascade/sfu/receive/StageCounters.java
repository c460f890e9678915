package live.cascade.sfu.receive;

/**
 * One router's in/out/drop counts per {@link Stage}, written by the router's worker thread only.
 *
 * <p>The common path pays two increments per packet, not two per stage: what enters the pipeline, and the copies the
 * fan-out hands on. Every other count is where the flow changes: each stage counts what it drops, the RTX repair what
 * it is given. The rest follows from the order the stages run in ({@link #in}, {@link #out}): a stage passes on
 * what it was given less what it dropped, and the next stage is given that, so the figures cannot disagree.
 *
 * <p>{@link #flush} hands what accumulated since the last flush to the process-wide {@link StageTotals} (on the tick,
 * never per packet).
 */
public final class StageCounters {
    // What is counted: indices into raw[].
    static final int ENTERED = 0;
    static final int RTX_GIVEN = 1;
    static final int COPIES = 2;
    private static final int DROPS = 3;
    static final int SLOTS = DROPS + Stage.VALUES.length;

    private final long[] raw = new long[SLOTS];
    private final long[] flushed = new long[SLOTS];
    private final StageTotals totals;

    public StageCounters(StageTotals totals) { this.totals = totals; }

    void entered() { raw[ENTERED]++; }

    void rtxGiven() { raw[RTX_GIVEN]++; }

    void drop(int stage) { raw[DROPS + stage]++; }

    /** The fan-out's count, from outside this package: {@code n} copies of one packet handed to viewers and sinks. */
    public void fannedOut(int n) { raw[COPIES] += n; }

    public long in(Stage stage) { return in(raw, stage); }

    public long out(Stage stage) { return out(raw, stage); }

    public long dropped(Stage stage) { return dropped(raw, stage); }

    /** Adds the counts since the previous flush to the totals; allocation-free, a few atomic adds at most. */
    public void flush() {
        for (int i = 0; i < SLOTS; i++) {
            long delta = raw[i] - flushed[i];
            if (delta != 0) {
                totals.add(i, delta);
                flushed[i] = raw[i];
            }
        }
    }

    static long dropped(long[] raw, Stage stage) { return raw[DROPS + stage.ordinal()]; }

    static long in(long[] raw, Stage stage) {
        return switch (stage) {
            case PARSE -> raw[ENTERED];
            case DEMUX -> out(raw, Stage.PARSE);
            case RTX_REPAIR -> raw[RTX_GIVEN];
            // Media from the demux, and the repairs: the RTX the repair dropped never gets here.
            case DUPLICATE_FILTER -> out(raw, Stage.DEMUX) - dropped(raw, Stage.RTX_REPAIR);
            case LOSS_TRACKING -> out(raw, Stage.DUPLICATE_FILTER);
            case HISTORY -> out(raw, Stage.LOSS_TRACKING);
            case KEYFRAME_PROBE -> out(raw, Stage.HISTORY);
            case FAN_OUT -> out(raw, Stage.KEYFRAME_PROBE);
        };
    }

    static long out(long[] raw, Stage stage) {
        return stage == Stage.FAN_OUT ? raw[COPIES] : in(raw, stage) - dropped(raw, stage);
    }
}
