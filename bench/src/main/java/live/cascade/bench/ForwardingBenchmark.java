package live.cascade.bench;

import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.srtp.SrtpRuntime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * (b) The fan-out: one decrypted publisher packet through the real {@link Router} (ingress bookkeeping, history,
 * transport-cc record) to {@code viewers} viewers, each copying, rewriting (SSRC, sequence, timestamp, payload type,
 * extension ids, its own transport-wide number, abs-send-time), SRTP-protecting and writing it to a Netty channel in a
 * recycled datagram. The channel is an {@link io.netty.channel.embedded.EmbeddedChannel}: everything up to the
 * socket's send runs, the kernel does not. The per-viewer cost is the slope between the viewer counts:
 * {@code (t(8) - t(1)) / 7}; the {@code NONE} suite leaves encryption out, which shows how much of it is ours (copy,
 * rewrite, envelope) and how much the cipher's.
 */
public class ForwardingBenchmark extends PacketPathBenchmark {
    /** An SRTP protection profile, or {@code NONE}: no encryption, to separate our own per-viewer cost from the cipher's. */
    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM", "NONE"})
    public String suite;

    @Param({"0", "1", "8"})
    public int viewers;

    private RouterFixture fixture;
    private SrtpEgressTransport[] transports;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        fixture = new RouterFixture(RouterConfig.defaults(), MediaClock.SYSTEM);
        transports = new SrtpEgressTransport[viewers];
        for (int i = 0; i < viewers; i++) {
            transports[i] = fixture.viewerTransport(suite.equals("NONE") ? null : SrtpProfile.valueOf(suite), i);
            fixture.router.addViewer(transports[i], Streams.viewer(i));
        }
        fixture.sendKeyframe();
        fixture.drain();
    }

    @Benchmark
    public void forwardOnePacket() {
        cpu.ops++;
        fixture.sendNext();
        fixture.drain();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.report("forward " + suite + " viewers=" + viewers);
        long misses = 0;
        for (SrtpEgressTransport t : transports) misses += t.poolMisses();
        if (misses > 0) System.out.println("datagram pool misses: " + misses);
        fixture.close();
    }
}
