package live.cascade.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.transport.MediaReceiver;
import org.openjdk.jmh.annotations.Benchmark;
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
 * The router's per-packet ingress work without any viewer: header parse, transport-cc record, track lookup,
 * duplicate check, NACK bookkeeping, history copy, keyframe check, receive statistics (with a tick every 50 packets
 * sending transport-cc feedback and reports to a discarding publisher transport).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=live.cascade.bench.MediaWorkerThreads"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RouteBenchmark {
    private Router router;
    private MediaReceiver ingress;
    private byte[] packet;
    private int length;
    private int seq = 1;
    private long n;

    private final CpuTime cpu = new CpuTime();

    @Setup(Level.Iteration)
    public void iterationStart() { cpu.iterationStart(); }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams params) { cpu.iterationEnd(params); }

    @Setup(Level.Trial)
    public void setUp() {
        router = new Router("bench", Streams.publisher(), RouterListener.NONE, RouterConfig.defaults(),
                MediaClock.SYSTEM, new SplittableRandom(1));
        ingress = router.attachPublisher(new ForwardingBenchmark.DiscardingTransport(), Streams.publisher());
        packet = Streams.videoPacket(false);
        length = Streams.videoLength();
    }

    @TearDown(Level.Trial)
    public void tearDown() { cpu.report("route"); }

    @Benchmark
    public void routeOnePacket() {
        cpu.ops++;
        Streams.stamp(packet, seq, 3000L * (n / 3), seq);
        seq++;
        ingress.onRtp(packet, 0, length);
        if (++n % 50 == 0) router.onTick(System.nanoTime());
    }
}
