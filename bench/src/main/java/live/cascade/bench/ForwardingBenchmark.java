package live.cascade.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
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
 * (b) The fan-out: one decrypted publisher packet through the real {@link Router} (ingress bookkeeping, history,
 * transport-cc record) to {@code viewers} viewers, each copying, rewriting (SSRC, sequence, timestamp, payload type,
 * extension ids, its own transport-wide number, abs-send-time), SRTP-protecting and writing it to a Netty channel in a
 * recycled datagram. The channel is an {@link EmbeddedChannel}: everything up to the socket's send runs, the kernel
 * does not. The per-viewer cost is the slope between the viewer counts: {@code (t(8) - t(1)) / 7}; the {@code NONE}
 * suite leaves encryption out, which shows how much of it is ours (copy, rewrite, envelope) and how much the cipher's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=live.cascade.bench.MediaWorkerThreads"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForwardingBenchmark {
    /** An SRTP protection profile, or {@code NONE}: no encryption, to separate our own per-viewer cost from the cipher's. */
    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM", "NONE"})
    public String suite;

    @Param({"0", "1", "8"})
    public int viewers;

    private Router router;
    private MediaReceiver ingress;
    private EmbeddedChannel channel;
    private SrtpEgressTransport[] transports;
    private byte[] packet;
    private int length;
    private int seq = 1;
    private long frame;
    private int transportSequence;

    private final CpuTime cpu = new CpuTime();

    @Setup(Level.Iteration)
    public void iterationStart() { cpu.iterationStart(); }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams params) { cpu.iterationEnd(params); }

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        router = new Router("bench", Streams.publisher(), RouterListener.NONE, RouterConfig.defaults(),
                MediaClock.SYSTEM, new SplittableRandom(1));
        ingress = router.attachPublisher(new DiscardingTransport(), Streams.publisher());
        channel = new EmbeddedChannel();
        transports = new SrtpEgressTransport[viewers];
        for (int i = 0; i < viewers; i++) {
            SrtpSession srtp = suite.equals("NONE") ? null : Streams.sessionPair(SrtpProfile.valueOf(suite), i, true)[0];
            transports[i] = new SrtpEgressTransport(srtp, channel,
                    new InetSocketAddress("192.0.2.1", 40_000 + i));
            router.addViewer(transports[i], Streams.viewer(i));
        }
        byte[] key = Streams.videoPacket(true);
        Streams.stamp(key, seq++, 0, transportSequence++);
        ingress.onRtp(key, 0, Streams.videoLength()); // viewers start at a keyframe
        drain();
        packet = Streams.videoPacket(false);
        length = Streams.videoLength();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        // Three packets per frame at 30 frames/s: the timestamp moves every third packet.
        Streams.stamp(packet, seq++, 3000L * (frame++ / 3), transportSequence++);
        ingress.onRtp(packet, 0, length);
        drain();
    }

    /** What the worker's flush does, with the embedded channel's queue standing in for the socket. */
    private void drain() {
        channel.flush();
        channel.releaseOutbound();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.report("forward " + suite + " viewers=" + viewers);
        long misses = 0;
        for (SrtpEgressTransport t : transports) misses += t.poolMisses();
        if (misses > 0) System.out.println("datagram pool misses: " + misses);
        router.close();
        channel.finishAndReleaseAll();
    }

    /** The publisher's transport: our RTCP to it (receiver reports, transport-cc feedback) goes nowhere. */
    static final class DiscardingTransport implements MediaTransport {
        @Override public void sendRtp(byte[] buf, int off, int len) { }

        @Override public void sendRtcp(byte[] buf, int off, int len) { }
    }
}
