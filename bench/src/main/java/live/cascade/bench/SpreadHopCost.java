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
        try {
            java.nio.file.Files.deleteIfExists(SpreadBenchmark.CPU_FILE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        Map<Integer, Double> cpu = new TreeMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(SpreadBenchmark.CPU_FILE)) {
                String[] f = line.trim().split(" ");
                cpu.put(Integer.parseInt(f[0]), Double.parseDouble(f[1]));
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("[spread] no CPU-time figures: " + e);
        }
        double[] one = byWorkers.get(1);
        Double cpuOne = cpu.get(1);
        for (Map.Entry<Integer, double[]> e : byWorkers.entrySet()) {
            int w = e.getKey();
            double[] v = e.getValue();
            Double c = cpu.get(w);
            String slope = w == 1 || one == null ? "" : String.format(
                    "  → per extra worker: %.0f ns wall, %s ns thread CPU", (v[0] - one[0]) / (w - 1),
                    c == null || cpuOne == null ? "?" : String.format("%.0f", (c - cpuOne) / (w - 1)));
            System.out.printf("[spread] workers=%d: %.0f ± %.0f ns/packet wall, %s ns thread CPU, %.2f B/packet%s%n", w,
                    v[0], v[1], c == null ? "?" : String.format("%.0f", c), v[2], slope);
        }
        System.out.println("[spread] on a loaded machine read the thread CPU figures: wall time includes time descheduled");
    }
}
