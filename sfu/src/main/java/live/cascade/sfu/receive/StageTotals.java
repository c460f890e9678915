package live.cascade.sfu.receive;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-stage in/out/drop totals over every router of the process, for {@code /metrics}: routers add what they counted
 * on their tick and when they close ({@link StageCounters#flush}), so the totals only grow and the packet path never
 * touches a shared counter. Readable from any thread.
 */
public final class StageTotals {
    private static final int N = Stage.VALUES.length;
    private static final StageTotals PROCESS = new StageTotals();

    private final AtomicLongArray totals = new AtomicLongArray(StageCounters.slots());

    /** Totals of their own, for routers that should not count toward the process's (tests). */
    public StageTotals() {}

    /** The totals routers report to unless given others. */
    public static StageTotals process() { return PROCESS; }

    void add(int slot, long delta) { totals.addAndGet(slot, delta); }

    public long in(Stage stage) { return totals.get(stage.ordinal()); }

    public long out(Stage stage) { return totals.get(N + stage.ordinal()); }

    public long dropped(Stage stage) { return totals.get(2 * N + stage.ordinal()); }
}
