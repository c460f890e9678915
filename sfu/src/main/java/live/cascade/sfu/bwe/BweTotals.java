package live.cascade.sfu.bwe;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bandwidth estimation over every viewer of the process, for {@code /metrics} without per-viewer labels: how many
 * viewers have an estimate in each bucket now, and the probes, probe padding packets and pacer drops since start.
 * Viewers move themselves between buckets and add their counts on the router's tick (and when they leave), so the
 * packet path never touches a shared counter. Readable from any thread.
 */
public final class BweTotals {
    /** Bucket upper bounds in bit/s; a last bucket holds the rest, and {@link #UNKNOWN} those without an estimate. */
    private static final long[] BOUNDS = {500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000};
    private static final String[] LABELS = {"lt_0.5M", "0.5M_1M", "1M_2M", "2M_4M", "4M_8M", "ge_8M", "unknown"};
    public static final int UNKNOWN = LABELS.length - 1;
    private static final int PROBES = LABELS.length;
    private static final int PADDING = PROBES + 1;
    private static final int PACER_DROPS = PADDING + 1;
    private static final BweTotals PROCESS = new BweTotals();

    private final AtomicLongArray values = new AtomicLongArray(PACER_DROPS + 1);

    /** Totals of their own (tests). */
    public BweTotals() {}

    public static BweTotals process() { return PROCESS; }

    /** The bucket of an estimate ({@link #UNKNOWN} for -1). */
    public static int bucketOf(long bps) {
        if (bps < 0) return UNKNOWN;
        for (int i = 0; i < BOUNDS.length; i++) if (bps < BOUNDS[i]) return i;
        return BOUNDS.length;
    }

    public static int buckets() { return LABELS.length; }

    public static String label(int bucket) { return LABELS[bucket]; }

    /** A viewer moves from bucket {@code from} (-1: it was in none) to {@code to} (-1: it leaves). */
    public void move(int from, int to) {
        if (from == to) return;
        if (from >= 0) values.decrementAndGet(from);
        if (to >= 0) values.incrementAndGet(to);
    }

    public void add(long probes, long padding, long pacerDrops) {
        if (probes != 0) values.addAndGet(PROBES, probes);
        if (padding != 0) values.addAndGet(PADDING, padding);
        if (pacerDrops != 0) values.addAndGet(PACER_DROPS, pacerDrops);
    }

    public long viewers(int bucket) { return values.get(bucket); }

    public long probes() { return values.get(PROBES); }

    public long paddingPackets() { return values.get(PADDING); }

    public long pacerDrops() { return values.get(PACER_DROPS); }
}
