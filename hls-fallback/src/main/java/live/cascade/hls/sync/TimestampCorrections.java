package live.cascade.hls.sync;

import live.cascade.sfu.params.MediaKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Timestamp corrections counted per track kind and reason, over all broadcasts of the node (for {@code /metrics}) or
 * for one broadcast. Two kinds times six reasons: a fixed, small set of series.
 */
public final class TimestampCorrections {
    private final LongAdder[][] counts = new LongAdder[MediaKind.values().length][TimestampCorrection.values().length];

    public TimestampCorrections() {
        for (LongAdder[] row : counts) for (int i = 0; i < row.length; i++) row[i] = new LongAdder();
    }

    public void add(MediaKind kind, TimestampCorrection reason) {
        counts[kind.ordinal()][reason.ordinal()].increment();
    }

    public long count(MediaKind kind, TimestampCorrection reason) {
        return counts[kind.ordinal()][reason.ordinal()].sum();
    }

    public long total() {
        long n = 0;
        for (LongAdder[] row : counts) for (LongAdder a : row) n += a.sum();
        return n;
    }

    /** The non-zero counts, keyed {@code audio/duplicate}. */
    public Map<String, Long> nonZero() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (MediaKind k : MediaKind.values()) {
            for (TimestampCorrection r : TimestampCorrection.values()) {
                long n = count(k, r);
                if (n > 0) m.put(label(k) + "/" + r.label(), n);
            }
        }
        return m;
    }

    /** The {@code track} label of a kind: {@code audio}, {@code video}. */
    public static String label(MediaKind kind) { return kind.name().toLowerCase(java.util.Locale.ROOT); }
}
