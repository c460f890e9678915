package live.cascade.sfu.receive;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One counter per {@link RouterDrop}, indexed by ordinal so counting allocates nothing. */
public final class DropCounters {
    private static final RouterDrop[] REASONS = RouterDrop.values();
    private final long[] counts = new long[REASONS.length];

    public void add(RouterDrop reason) { counts[reason.ordinal()]++; }

    public long count(RouterDrop reason) { return counts[reason.ordinal()]; }

    /** Non-zero counters. */
    public Map<RouterDrop, Long> snapshot() {
        EnumMap<RouterDrop, Long> m = new EnumMap<>(RouterDrop.class);
        for (RouterDrop r : REASONS) if (counts[r.ordinal()] != 0) m.put(r, counts[r.ordinal()]);
        return Collections.unmodifiableMap(m);
    }
}
