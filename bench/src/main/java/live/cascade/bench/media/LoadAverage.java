package live.cascade.bench.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average (1, 5, 15 minutes) from /proc/loadavg, printed beside every figure: the benchmarks run on
 * shared machines, and a figure taken at load 9 on two cores is not the figure of a quiet machine.
 */
public record LoadAverage(double one, double five, double fifteen, int cpus) {
    public static LoadAverage now() {
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), cpus);
        } catch (IOException | RuntimeException e) {
            return new LoadAverage(-1, -1, -1, cpus);
        }
    }

    @Override
    public String toString() {
        return String.format("load %.2f/%.2f/%.2f on %d cpus", one, five, fifteen, cpus);
    }
}
