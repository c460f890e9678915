package live.cascade.sfu.receive;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-stage in/out/drop totals over every router of the process, for {@code /metrics}: routers add what they counted
 * on their tick and when they close ({@link StageCounters#flush}), so the totals only grow and the packet path never
 * touches a shared counter. Readable from any thread.
 */
public final class StageTotals {
    private static final StageTotals PROCESS = new StageTotals();

    private final AtomicLongArray totals = new AtomicLongArray(StageCounters.SLOTS);

    /** Totals of their own, for routers that should not count toward the process's (tests). */
    public StageTotals() {}

    /** The totals routers report to unless given others. */
    public static StageTotals process() { return PROCESS; }

    void add(int slot, long delta) { totals.addAndGet(slot, delta); }

    public long in(Stage stage) { return StageCounters.in(snapshot(), stage); }

    public long out(Stage stage) { return StageCounters.out(snapshot(), stage); }

    public long dropped(Stage stage) { return StageCounters.dropped(snapshot(), stage); }

    private long[] snapshot() {
        long[] raw = new long[StageCounters.SLOTS];
        for (int i = 0; i < raw.length; i++) raw[i] = totals.get(i);
        return raw;
    }
}
