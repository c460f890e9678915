package live.cascade.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import live.cascade.bench.media.LoadAverage;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SpreadBenchmark} with the GC profiler and prints what one more worker costs per packet: the slope of
 * ns/op over the worker counts, and the bytes allocated per packet, with the load average beside them (the machines
 * are shared). JMH options on the command line pass through (e.g. {@code -wi 2 -i 3 -p workers=1,2}).
 *
 * <pre>java -cp bench/target/benchmarks.jar live.cascade.bench.SpreadHopCost</pre>
 */
public final class SpreadHopCost {
    private SpreadHopCost() {}

    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        String before = LoadAverage.now().toString();
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(SpreadBenchmark.class.getName() + ".forwardOnePacket")
                .addProfiler(GCProfiler.class).build();
        Collection<RunResult> results = new Runner(options).run();
        Map<Integer, double[]> byWorkers = new TreeMap<>();
        int viewers = 0;
        for (RunResult r : results) {
            int workers = Integer.parseInt(r.getParams().getParam("workers"));
            viewers = Integer.parseInt(r.getParams().getParam("viewers"));
            Result<?> alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (alloc == null) alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            byWorkers.put(workers, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()});
        }
        String after = LoadAverage.now().toString();
        System.out.printf("%n[spread] %d viewers of one channel over N workers (load average before: %s, after: %s)%n",
                viewers, before, after);
        double[] one = byWorkers.get(1);
        for (Map.Entry<Integer, double[]> e : byWorkers.entrySet()) {
            double[] v = e.getValue();
            String slope = one == null || e.getKey() == 1 ? ""
                    : String.format("  → %.0f ns per packet per extra worker", (v[0] - one[0]) / (e.getKey() - 1));
            System.out.printf("[spread] workers=%d: %.0f ± %.0f ns/packet, %.2f B/packet%s%n", e.getKey(), v[0], v[1], v[2], slope);
        }
    }
}
