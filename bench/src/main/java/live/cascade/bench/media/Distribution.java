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

    /** Counts per bin of {@code width} ms, as "from:count" pairs. */
    String histogram(int width) {
        java.util.TreeMap<Long, Integer> bins = new java.util.TreeMap<>();
        for (long v : sorted) bins.merge(v / width * width, 1, Integer::sum);
        StringBuilder out = new StringBuilder();
        bins.forEach((k, n) -> out.append(k).append(':').append(n).append(' '));
        return out.toString().trim();
    }

    @Override
    public String toString() {
        return String.format("n=%d p50 %d ms, p95 %d ms, min %d ms, max %d ms", count(), percentile(50), percentile(95), min(), max());
    }
}
