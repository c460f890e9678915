package live.cascade.bench;

import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.ViewerHandle;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.transport.MediaTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-packet cost of per-viewer bandwidth estimation and pacing ({@code bwe=on}) against plain forwarding
 * ({@code off}): {@link ForwardingBenchmark}'s fan-out (AES-CM, a Netty channel standing in for the socket) with each
 * viewer returning transport-cc feedback for what it was sent every 50 ms of media time, which the estimator reads,
 * and the router's pace timer run every 5 ms. Media time is simulated (1 ms per packet: ~10 Mbit/s, within the
 * estimate, so the pacer passes everything and measures its bookkeeping, not a queue). Per additional viewer:
 * {@code (t(8) - t(1)) / 7} for each setting; the viewers' own feedback encoding is measured too, so the difference
 * is an upper bound.
 */
public class PacedForwardingBenchmark extends PacketPathBenchmark {
    private static final long PACKET_NANOS = 1_000_000L;

    @Param({"on", "off"})
    public String bwe;

    @Param({"1", "8"})
    public int viewers;

    private final SimulatedClock clock = new SimulatedClock();
    private RouterFixture fixture;
    private FeedingTransport[] transports;
    private ViewerHandle[] handles;
    private long ops;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        fixture = new RouterFixture(RouterConfig.defaults().withViewerBwe(bwe.equals("on")), clock);
        transports = new FeedingTransport[viewers];
        handles = new ViewerHandle[viewers];
        for (int i = 0; i < viewers; i++) {
            transports[i] = new FeedingTransport(fixture.viewerTransport(SrtpProfile.AES_CM_128_HMAC_SHA1_80, i), clock);
            handles[i] = fixture.router.addViewer(transports[i], Streams.viewer(i));
        }
        fixture.sendKeyframe();
        fixture.drain();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        clock.now += PACKET_NANOS;
        fixture.sendNext();
        long n = ++ops;
        if (n % 5 == 0) fixture.router.onPace(clock.now);
        if (n % 50 == 0) {
            for (int i = 0; i < viewers; i++) transports[i].feedBack(handles[i]);
        }
        if (n % 100 == 0) fixture.router.onTick(clock.now);
        fixture.drain();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        StringBuilder estimates = new StringBuilder();
        for (ViewerHandle h : handles) estimates.append(' ').append(h.bitsPerSecond());
        cpu.report("paced forward bwe=" + bwe + " viewers=" + viewers + " estimates" + estimates);
        fixture.close();
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
