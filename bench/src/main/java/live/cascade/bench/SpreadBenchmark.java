package live.cascade.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.spread.ChannelSpread;
import live.cascade.sfu.spread.WorkerPipe;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The cost of spreading one channel's viewers over workers ({@link ChannelSpread}): the same {@code viewers} viewers
 * (SRTP AES-CM, as {@link ForwardingBenchmark}) all on the channel's router ({@code workers=1}), or split evenly over
 * the channel's router and {@code workers - 1} relay routers, each fed through a {@link WorkerPipe}. What a relay adds
 * per packet is the hop: the origin rewrites the packet once more (for the pipe), copies it into the pipe's ring, and
 * the relay router receives it like a publisher's (parse, demux, history copy, keyframe probe) before its own
 * fan-out. The per-packet cost of one more worker is {@code (t(workers) - t(1)) / (workers - 1)}.
 *
 * <p>Both ends run on the benchmark thread (the pipe's wake-up tasks are run by hand after each packet), so this is
 * the CPU the hop costs, summed over the two workers; it leaves out what two real cores add: the cache lines of
 * each slot moving between them and the wake-up of an idle worker (a Netty task, at most one per drained batch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=live.cascade.bench.MediaWorkerThreads"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpreadBenchmark {
    /** Where each fork appends "workers nsPerOp" of thread CPU time. */
    static final java.nio.file.Path CPU_FILE = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "cascade-spread-cpu.txt");

    @Param({"1", "2", "3"})
    public int workers;

    @Param({"6"})
    public int viewers;

    private Router origin;
    private Router[] relays;
    private WorkerPipe[] pipes;
    private MediaReceiver ingress;
    private EmbeddedChannel channel;
    private byte[] packet;
    private int length;
    private int seq = 1;
    private long frame;
    private int transportSequence;
    /** The pipes' wake-up tasks, run after each packet as the workers' event loops would. */
    private final Runnable[] pending = new Runnable[16];
    private int pendingCount;

    private final CpuTime cpu = new CpuTime();

    @Setup(Level.Iteration)
    public void iterationStart() { cpu.iterationStart(); }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams params) { cpu.iterationEnd(params); }

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        RouterConfig config = RouterConfig.defaults();
        origin = new Router("bench", Streams.publisher(), RouterListener.NONE, config, MediaClock.SYSTEM, new SplittableRandom(1));
        ingress = origin.attachPublisher(new ForwardingBenchmark.DiscardingTransport(), Streams.publisher());
        channel = new EmbeddedChannel();
        List<TrackParameters> pipeTracks = ChannelSpread.pipeTracks(Streams.publisher(), new SplittableRandom(2));
        relays = new Router[workers - 1];
        pipes = new WorkerPipe[workers - 1];
        Executor queue = task -> pending[pendingCount++] = task;
        for (int w = 0; w < relays.length; w++) {
            relays[w] = new Router("bench@" + (w + 1), pipeTracks, RouterListener.NONE, config, MediaClock.SYSTEM,
                    new SplittableRandom(10 + w));
            pipes[w] = new WorkerPipe(queue, Runnable::run, queue, Runnable::run, 512, 64,
                    config.maxPacketSize() + MediaTransport.SRTP_TAIL_ROOM);
            pipes[w].bindRelay(relays[w].attachPublisher(pipes[w].relaySide(), pipeTracks));
            pipes[w].bindOrigin(origin.addPipe(pipes[w].originSide(), pipeTracks).rtcpInput());
        }
        for (int i = 0; i < viewers; i++) {
            SrtpSession srtp = Streams.sessionPair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, i, true)[0];
            SrtpEgressTransport t = new SrtpEgressTransport(srtp, channel, new InetSocketAddress("192.0.2.1", 40_000 + i));
            int w = i % workers; // round robin, as least-loaded placement gives
            Router r = w == 0 ? origin : relays[w - 1];
            r.addViewer(t, Streams.viewer(i));
        }
        byte[] key = Streams.videoPacket(true);
        Streams.stamp(key, seq++, 0, transportSequence++);
        ingress.onRtp(key, 0, Streams.videoLength()); // viewers start at a keyframe
        runPending();
        drain();
        packet = Streams.videoPacket(false);
        length = Streams.videoLength();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        Streams.stamp(packet, seq++, 3000L * (frame++ / 3), transportSequence++);
        ingress.onRtp(packet, 0, length);
        runPending();
        drain();
    }

    private void runPending() {
        for (int i = 0; i < pendingCount; i++) {
            Runnable r = pending[i];
            pending[i] = null;
            r.run();
        }
        pendingCount = 0;
    }

    private void drain() {
        channel.flush();
        channel.releaseOutbound();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.report("spread workers=" + workers + " viewers=" + viewers);
        try { // for SpreadHopCost, which runs the forks and computes the slope from CPU time
            java.nio.file.Files.writeString(CPU_FILE, workers + " " + cpu.nanosPerOp() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.out.println("could not record the CPU figure: " + e);
        }
        long dropped = 0;
        for (WorkerPipe p : pipes) dropped += p.droppedToRelay() + p.unbound();
        if (dropped > 0) System.out.println("pipe drops: " + dropped);
        for (Router r : relays) r.close();
        origin.close();
        channel.finishAndReleaseAll();
    }
}
