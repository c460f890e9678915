package live.cascade.bench.media;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Sorted samples (milliseconds) and their nearest-rank percentiles. */
final class Distribution {
    private final List<Long> sorted;

    Distribution(Collection<Long> samples) {
        this.sorted = new ArrayList<>(samples);
        this.sorted.sort(null);
    }

    int count() {
        return sorted.size();
    }

    long percentile(int p) {
        if (sorted.isEmpty()) return -1;
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    long min() {
        return sorted.isEmpty() ? -1 : sorted.getFirst();
    }

    long max() {
        return sorted.isEmpty() ? -1 : sorted.getLast();
    }

    /** How many samples had each value, as "ms:count" pairs in order (the samples are sorted: runs of one value). */
    String histogram() {
        StringBuilder out = new StringBuilder();
        for (int i = 0, run; i < sorted.size(); i += run) {
            run = 1;
            while (i + run < sorted.size() && sorted.get(i + run).equals(sorted.get(i))) run++;
            if (!out.isEmpty()) out.append(' ');
            out.append(sorted.get(i)).append(':').append(run);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.format("n=%d p50 %d ms, p95 %d ms, min %d ms, max %d ms", count(), percentile(50), percentile(95), min(), max());
    }
}
