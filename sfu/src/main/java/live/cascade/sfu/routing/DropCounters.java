package live.cascade.sfu.routing;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One counter per {@link DropReason}, indexed by ordinal so counting allocates nothing. */
final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private final long[] counts = new long[REASONS.length];

    void add(DropReason reason) { counts[reason.ordinal()]++; }

    long count(DropReason reason) { return counts[reason.ordinal()]; }

    /** Non-zero counters. */
    Map<DropReason, Long> snapshot() {
        EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) if (counts[r.ordinal()] != 0) m.put(r, counts[r.ordinal()]);
        return Collections.unmodifiableMap(m);
    }
}
