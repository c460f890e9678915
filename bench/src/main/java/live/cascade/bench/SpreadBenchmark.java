package live.cascade.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.spread.ChannelSpread;
import live.cascade.sfu.spread.WorkerPipe;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.transport.MediaTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

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
public class SpreadBenchmark extends PacketPathBenchmark {
    /** Where each fork appends "workers nsPerOp" of thread CPU time. */
    static final java.nio.file.Path CPU_FILE = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "cascade-spread-cpu.txt");

    @Param({"1", "2", "3"})
    public int workers;

    @Param({"6"})
    public int viewers;

    private RouterFixture origin;
    private Router[] relays;
    private WorkerPipe[] pipes;
    /** The pipes' wake-up tasks, run after each packet as the workers' event loops would. */
    private final Runnable[] pending = new Runnable[16];
    private int pendingCount;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        RouterConfig config = RouterConfig.defaults();
        origin = new RouterFixture(config, MediaClock.SYSTEM);
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
            pipes[w].bindOrigin(origin.router.addPipe(pipes[w].originSide(), pipeTracks).rtcpInput());
        }
        for (int i = 0; i < viewers; i++) {
            SrtpEgressTransport t = origin.viewerTransport(SrtpProfile.AES_CM_128_HMAC_SHA1_80, i);
            int w = i % workers; // round robin, as least-loaded placement gives
            Router r = w == 0 ? origin.router : relays[w - 1];
            r.addViewer(t, Streams.viewer(i));
        }
        origin.sendKeyframe();
        runPending();
        origin.drain();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        origin.sendNext();
        runPending();
        origin.drain();
    }

    private void runPending() {
        for (int i = 0; i < pendingCount; i++) {
            Runnable r = pending[i];
            pending[i] = null;
            r.run();
        }
        pendingCount = 0;
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
    }
}
