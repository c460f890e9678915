package live.cascade.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The benchmark thread's own CPU time per operation over the measurement iterations, printed at the end of a trial.
 * On a shared machine wall-clock averages include time the thread spent descheduled; CPU time does not (cache and
 * SMT interference from neighbours still shows). The benchmarks here make no system calls, so this is user time.
 */
final class CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private long startNanos;
    private long startOps;
    private long cpuNanos;
    private long measuredOps;
    long ops;

    void iterationStart() {
        startNanos = MX.getCurrentThreadCpuTime();
        startOps = ops;
    }

    void iterationEnd(IterationParams params) {
        if (params.getType() != IterationType.MEASUREMENT) return;
        cpuNanos += MX.getCurrentThreadCpuTime() - startNanos;
        measuredOps += ops - startOps;
    }

    /** Thread CPU nanoseconds per measured operation, NaN before any. */
    double nanosPerOp() { return measuredOps == 0 ? Double.NaN : (double) cpuNanos / measuredOps; }

    void report(String what) {
        if (measuredOps > 0) {
            System.out.printf("%n[cpu] %s: %.1f ns/op of thread CPU time over %d measured ops%n", what,
                    (double) cpuNanos / measuredOps, measuredOps);
        }
    }
}
