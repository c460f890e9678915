package live.cascade.bench;

import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.RouterConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The router's per-packet ingress work without any viewer: header parse, transport-cc record, track lookup,
 * duplicate check, NACK bookkeeping, history copy, keyframe check, receive statistics (with a tick every 50 packets
 * sending transport-cc feedback and reports to a discarding publisher transport).
 */
public class RouteBenchmark extends PacketPathBenchmark {
    private RouterFixture fixture;
    private long n;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new RouterFixture(RouterConfig.defaults(), MediaClock.SYSTEM);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.report("route");
        fixture.close();
    }

    @Benchmark
    public void routeOnePacket() {
        cpu.ops++;
        fixture.sendNext();
        if (++n % 50 == 0) fixture.router.onTick(System.nanoTime());
    }
}
