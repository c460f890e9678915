package live.cascade.sfu.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's counters: plain long arrays indexed by enum ordinal, written only on the worker thread, so the
 * packet path pays an array increment and nothing else. Read a consistent copy with {@link MediaWorker#counters()},
 * which takes the snapshot on the worker thread.
 */
final class PacketCounters {
    /** Snapshot key prefix for drop counters, e.g. {@code drop.SRTP_AUTH_FAILED}. */
    public static final String DROP_PREFIX = "drop.";

    private final long[] drops = new long[DropReason.VALUES.length];
    private final long[] counts = new long[Counter.VALUES.length];

    public void drop(DropReason reason) { drops[reason.ordinal()]++; }

    public void increment(Counter counter) { counts[counter.ordinal()]++; }

    public void add(Counter counter, long n) { counts[counter.ordinal()] += n; }

    public long get(DropReason reason) { return drops[reason.ordinal()]; }

    public long get(Counter counter) { return counts[counter.ordinal()]; }

    public long totalDrops() {
        long sum = 0;
        for (long d : drops) sum += d;
        return sum;
    }

    /** Every counter, zeros included, so a scrape always sees the same set of names. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Counter c : Counter.VALUES) out.put(c.name(), counts[c.ordinal()]);
        for (DropReason r : DropReason.VALUES) out.put(DROP_PREFIX + r.name(), drops[r.ordinal()]);
        return out;
    }
}
