package live.cascade.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.routing.ViewerHandle;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.srtp.SrtpRuntime;
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
 * The per-packet cost of per-viewer bandwidth estimation and pacing ({@code bwe=on}) against plain forwarding
 * ({@code off}): {@link ForwardingBenchmark}'s fan-out (AES-CM, a Netty channel standing in for the socket) with each
 * viewer returning transport-cc feedback for what it was sent every 50 ms of media time, which the estimator reads,
 * and the router's pace timer run every 5 ms. Media time is simulated (1 ms per packet: ~10 Mbit/s, within the
 * estimate, so the pacer passes everything and measures its bookkeeping, not a queue). Per additional viewer:
 * {@code (t(8) - t(1)) / 7} for each setting; the viewers' own feedback encoding is measured too, so the difference
 * is an upper bound.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=live.cascade.bench.MediaWorkerThreads"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PacedForwardingBenchmark {
    private static final long PACKET_NANOS = 1_000_000L;

    @Param({"on", "off"})
    public String bwe;

    @Param({"1", "8"})
    public int viewers;

    private final SimulatedClock clock = new SimulatedClock();
    private Router router;
    private MediaReceiver ingress;
    private EmbeddedChannel channel;
    private FeedingTransport[] transports;
    private ViewerHandle[] handles;
    private byte[] packet;
    private int length;
    private int seq = 1;
    private long frame;
    private int transportSequence;
    private long ops;
    private final CpuTime cpu = new CpuTime();

    @Setup(Level.Iteration)
    public void iterationStart() { cpu.iterationStart(); }

    @TearDown(Level.Iteration)
    public void iterationEnd(IterationParams params) { cpu.iterationEnd(params); }

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        router = new Router("bench", Streams.publisher(), RouterListener.NONE,
                RouterConfig.defaults().withViewerBwe(bwe.equals("on")), clock, new SplittableRandom(1));
        ingress = router.attachPublisher(new ForwardingBenchmark.DiscardingTransport(), Streams.publisher());
        channel = new EmbeddedChannel();
        transports = new FeedingTransport[viewers];
        handles = new ViewerHandle[viewers];
        for (int i = 0; i < viewers; i++) {
            transports[i] = new FeedingTransport(new SrtpEgressTransport(
                    Streams.sessionPair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, i, true)[0], channel,
                    new InetSocketAddress("192.0.2.1", 40_000 + i)), clock);
            handles[i] = router.addViewer(transports[i], Streams.viewer(i));
        }
        byte[] key = Streams.videoPacket(true);
        Streams.stamp(key, seq++, 0, transportSequence++);
        ingress.onRtp(key, 0, Streams.videoLength());
        drain();
        packet = Streams.videoPacket(false);
        length = Streams.videoLength();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        clock.now += PACKET_NANOS;
        Streams.stamp(packet, seq++, 3000L * (frame++ / 3), transportSequence++);
        ingress.onRtp(packet, 0, length);
        long n = ++ops;
        if (n % 5 == 0) router.onPace(clock.now);
        if (n % 50 == 0) {
            for (int i = 0; i < viewers; i++) transports[i].feedBack(handles[i]);
        }
        if (n % 100 == 0) router.onTick(clock.now);
        drain();
    }

    private void drain() {
        channel.flush();
        channel.releaseOutbound();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        StringBuilder estimates = new StringBuilder();
        for (ViewerHandle h : handles) estimates.append(' ').append(h.bitsPerSecond());
        cpu.report("paced forward bwe=" + bwe + " viewers=" + viewers + " estimates" + estimates);
        router.close();
        channel.finishAndReleaseAll();
    }

    static final class SimulatedClock implements MediaClock {
        long now = 1_000_000_000L;

        @Override public long nanoTime() { return now; }

        @Override public long epochMillis() { return now / 1_000_000L; }
    }

    /** A viewer's transport that also plays the viewer's transport-cc receiver (arrival = send, media time). */
    static final class FeedingTransport implements MediaTransport {
        private final SrtpEgressTransport out;
        private final SimulatedClock clock;
        private final TransportCcFeedback receiver = new TransportCcFeedback();
        private final byte[] feedback = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES + 64];

        FeedingTransport(SrtpEgressTransport out, SimulatedClock clock) {
            this.out = out;
            this.clock = clock;
        }

        @Override
        public void sendRtp(byte[] buf, int off, int len) {
            // The viewer's transport-cc id is 3 and sits where the publisher's did (ids are remapped in place).
            if (len > Streams.TRANSPORT_CC_AT + 1) receiver.onPacket(BigEndian.u16(buf, off + Streams.TRANSPORT_CC_AT), clock.now);
            out.sendRtp(buf, off, len);
        }

        @Override
        public void sendRtcp(byte[] buf, int off, int len) { out.sendRtcp(buf, off, len); }

        void feedBack(ViewerHandle viewer) {
            int n;
            while ((n = receiver.write(feedback, 0, 1, 2)) > 0) viewer.rtcpInput().onRtcp(feedback, 0, n);
        }
    }
}
