package live.cascade.bench.media;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own {@code cascade_media_forward_delay_seconds} histogram read from {@code /metrics}: what a round added
 * (the difference of two readings), summarised as the bucket bounds its 50th, 90th and 99th percentiles fall under.
 * The node's hop per packet without a packet capture.
 */
record NodeForwardDelays(List<Double> bounds, List<Long> cumulative, double sumSeconds) {
    private static final Pattern BUCKET = Pattern.compile("(?m)^cascade_media_forward_delay_seconds_bucket\\{le=\"([^\"]+)\"} (\\S+)$");
    private static final Pattern SUM = Pattern.compile("(?m)^cascade_media_forward_delay_seconds_sum (\\S+)$");

    static NodeForwardDelays parse(String metrics) {
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        Matcher m = BUCKET.matcher(metrics);
        while (m.find()) {
            bounds.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
            counts.add((long) Double.parseDouble(m.group(2)));
        }
        Matcher s = SUM.matcher(metrics);
        return new NodeForwardDelays(bounds, counts, s.find() ? Double.parseDouble(s.group(1)) : 0);
    }

    /** What was recorded between {@code earlier} and this reading. */
    NodeForwardDelays since(NodeForwardDelays earlier) {
        if (earlier.bounds.size() != bounds.size()) return this;
        List<Long> diff = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) diff.add(cumulative.get(i) - earlier.cumulative.get(i));
        return new NodeForwardDelays(bounds, diff, sumSeconds - earlier.sumSeconds);
    }

    long count() {
        return cumulative.isEmpty() ? 0 : cumulative.get(cumulative.size() - 1);
    }

    /** The smallest bucket bound (ms) that at least {@code percent} % of the packets stayed under. */
    String under(double percent) {
        long n = count();
        for (int i = 0; i < bounds.size(); i++) {
            if (cumulative.get(i) * 100.0 >= percent * n) {
                double b = bounds.get(i);
                return b == Double.POSITIVE_INFINITY ? "> 100" : "<= " + (b * 1000 == Math.rint(b * 1000) ? String.valueOf((long) (b * 1000)) : String.valueOf(b * 1000));
            }
        }
        return "?";
    }

    @Override
    public String toString() {
        if (bounds.isEmpty()) return "node forward delay: not in /metrics";
        long n = count();
        return String.format("node forward delay (its /metrics histogram, %d packets): mean %.2f ms, p50 %s ms, p90 %s ms, p99 %s ms",
                n, n == 0 ? 0.0 : sumSeconds * 1000 / n, under(50), under(90), under(99));
    }
}
