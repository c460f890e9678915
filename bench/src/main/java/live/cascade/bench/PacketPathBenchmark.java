package live.cascade.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the packet-path benchmarks (ingress, route, forwarding, paced forwarding, spread) share, so that their figures
 * stay comparable: the same JMH settings (JMH applies a superclass's), and the benchmark thread's CPU time per
 * operation beside JMH's wall-clock figure ({@link CpuTime}: each benchmark method counts {@code cpu.ops++}, each
 * trial ends with {@code cpu.report(...)}).
 *
 * <p>The forks run the benchmark on a Netty {@code FastThreadLocalThread} ({@link MediaWorkerThreads}), as the media
 * workers do: Netty recycles its per-write buffer entries only on those.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=live.cascade.bench.MediaWorkerThreads"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class PacketPathBenchmark {
    protected final CpuTime cpu = new CpuTime();

    @Setup(Level.Iteration)
    public void iterationStart() { cpu.iterationStart(); }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams params) { cpu.iterationEnd(params); }
}
