package live.cascade.sfu.bwe;

import static live.cascade.sfu.bwe.LinkSimulation.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.simulcast.LayerSelector;
import org.junit.jupiter.api.Test;

/**
 * The estimator on synthetic paths whose capacity is known ({@link LinkSimulation}), graded against that capacity:
 * never against the estimator's own earlier output. Deterministic: simulated clock, seeded randomness.
 */
class ViewerBandwidthEstimatorTest {
    private static final long S = 1_000 * MS;
    private static final long SOURCE = 4_000_000;

    private final List<long[]> trace = new ArrayList<>();

    @Test
    void aSteadyLinkSettlesWithinEightyFiveToHundredPercentOfItsCapacity() {
        for (long capacity : new long[] {600_000, 1_500_000, 2_500_000}) {
            trace.clear();
            LinkSimulation sim = new LinkSimulation(capacity, SOURCE, 1);
            sim.runUntil(40 * S, trace);
            print("steady " + capacity);
            assertThat(mean(20 * S, 40 * S)).as("mean estimate over 20-40 s on %d bit/s", capacity)
                    .isBetween((long) (0.85 * capacity), capacity);
            assertThat(min(20 * S, 40 * S)).as("lowest estimate over 20-40 s").isGreaterThan((long) (0.6 * capacity));
        }
    }

    @Test
    void aStepDownIsFollowedBelowTheNewCapacityWithinTwoSeconds() {
        LinkSimulation sim = new LinkSimulation(2_500_000, SOURCE, 2);
        sim.runUntil(20 * S, trace);
        assertThat(mean(15 * S, 20 * S)).as("before the step").isGreaterThan((long) (0.85 * 2_500_000));
        sim.capacity = 600_000;
        sim.runUntil(40 * S, trace);
        print("step down 2.5 -> 0.6");
        assertThat(firstTimeBelow(20 * S, 600_000) - 20 * S).as("time to go below 0.6 Mbit/s").isLessThanOrEqualTo(2 * S);
        assertThat(max(22 * S, 40 * S)).as("no return above the capacity for long")
                .isLessThan((long) (1.15 * 600_000));
        assertThat(mean(30 * S, 40 * S)).isBetween((long) (0.85 * 600_000), 600_000L);
    }

    @Test
    void aStepUpIsFoundWithProbingWithinTenSeconds() {
        LinkSimulation sim = new LinkSimulation(600_000, SOURCE, 3);
        sim.runUntil(20 * S, trace);
        assertThat(mean(15 * S, 20 * S)).as("before the step").isBetween((long) (0.85 * 600_000), 600_000L);
        long probesBefore = sim.estimator.probesSent();
        sim.capacity = 2_500_000;
        sim.runUntil(45 * S, trace);
        print("step up 0.6 -> 2.5");
        assertThat(firstTimeAbove(20 * S, (long) (0.85 * 2_500_000)) - 20 * S).as("time to reach 85 %")
                .isLessThanOrEqualTo(10 * S);
        assertThat(sim.estimator.probesSent()).isGreaterThan(probesBefore);
        assertThat(mean(35 * S, 45 * S)).isBetween((long) (0.85 * 2_500_000), 2_500_000L);
    }

    @Test
    void aLossBurstLowersTheEstimateAndItRecoversAfterwards() {
        long capacity = 2_000_000;
        LinkSimulation sim = new LinkSimulation(capacity, SOURCE, 4);
        sim.runUntil(20 * S, trace);
        sim.lossProbability = 0.2;
        sim.runUntil(23 * S, trace);
        sim.lossProbability = 0;
        sim.runUntil(50 * S, trace);
        print("loss burst 20 % for 3 s on 2 Mbit/s");
        assertThat(min(20 * S, 24 * S)).as("during 20 %% loss").isLessThan((long) (0.7 * capacity));
        assertThat(firstTimeAbove(23 * S, (long) (0.85 * capacity)) - 23 * S).as("recovery to 85 %")
                .isLessThanOrEqualTo(15 * S);
        assertThat(mean(40 * S, 50 * S)).isBetween((long) (0.85 * capacity), capacity);
    }

    @Test
    void lightRandomLossDoesNotHoldTheEstimateDown() {
        long capacity = 1_500_000;
        LinkSimulation sim = new LinkSimulation(capacity, SOURCE, 5);
        sim.lossProbability = 0.01;
        sim.runUntil(40 * S, trace);
        print("1 % random loss");
        assertThat(mean(20 * S, 40 * S)).isBetween((long) (0.85 * capacity), capacity);
    }

    @Test
    void reorderingIsNotReadAsCongestion() {
        long capacity = 1_500_000;
        LinkSimulation sim = new LinkSimulation(capacity, SOURCE, 6);
        sim.reorderProbability = 0.1;
        sim.runUntil(40 * S, trace);
        print("10 % reordered by up to 20 ms");
        assertThat(mean(20 * S, 40 * S)).isBetween((long) (0.85 * capacity), capacity);
    }

    /**
     * A viewer on a 190 kbit/s layer behind a shaper with a 32 KB token bucket (tc tbf): short probe clusters fit in the
     * bucket and arrive at line rate, so the estimate of an app-limited stream can stand far above the link. The layer
     * choice's move up to a layer needing 1.25 Mbit/s (held as {@code LayerSelector} holds it) is tried at that rate
     * meanwhile: on a 600 kbit/s link it is called off every time; on a 2.5 Mbit/s one it is made.
     */
    @Test
    void aMoveUpHeldAtItsRateIsCalledOffBehindASlowTokenBucketAndMadeBehindAFastOne() {
        assertThat(movesUp(600_000, 8)).as("moves up a 600 kbit/s shaper let through in 30 s").isZero();
        print("token bucket 600 kbit/s, app-limited, moves up held at 1.25 Mbit/s");
        trace.clear();
        assertThat(movesUp(2_500_000, 9)).as("moves up a 2.5 Mbit/s shaper let through in 30 s").isEqualTo(1);
        print("token bucket 2.5 Mbit/s");
    }

    @Test
    void withoutHoldingTheRateAProbeThroughATokenBucketOverstatesTheLink() {
        // The case the held rate exists for: probes alone leave the estimate well above 600 kbit/s.
        LinkSimulation sim = new LinkSimulation(600_000, 190_000, 8);
        sim.burstBytes = 32 * 1024;
        sim.estimator.setWantedBitrate(1_440_000);
        sim.runUntil(30 * S, trace);
        print("token bucket, probes only");
        assertThat(mean(10 * S, 30 * S)).isGreaterThan(1_000_000);
    }

    /** Runs 30 s of the move-up hold on a shaped link; the number of moves made (at most one: the test stops there). */
    private int movesUp(long capacity, long seed) { return movesUp(capacity, seed, LayerSelector.DEFAULT_UP_HOLD_NANOS); }

    private int movesUp(long capacity, long seed, long holdNanos) {
        return movesUp(new LinkSimulation(capacity, 190_000, seed), holdNanos);
    }

    private int movesUp(LinkSimulation sim, long holdNanos) {
        return movesUp(sim, 1_250_000, holdNanos); // a layer of 1 Mbit/s with the selector's headroom
    }

    private int movesUp(LinkSimulation sim, long need, long holdNanos) {
        sim.burstBytes = 32 * 1024;
        sim.estimator.setWantedBitrate((long) (need * 1.15));
        long heldSince = -1;
        for (long t = 100 * MS; t <= 30 * S; t += 100 * MS) {
            sim.runUntil(t, trace);
            // As LayerSelector holds a move: started with the headroom, called off only under the layer's own rate.
            if (sim.estimator.bitsPerSecond() >= (heldSince < 0 ? need : need / LayerSelector.HEADROOM)) {
                if (heldSince < 0) {
                    heldSince = t;
                    sim.estimator.sustainRate(need, sim.now());
                }
                if (t - heldSince >= holdNanos) return 1;
            } else if (heldSince >= 0) {
                heldSince = -1;
                sim.estimator.sustainRate(-1, sim.now());
            }
        }
        return 0;
    }

    /**
     * The margin behind the selector's hold: behind the 600 kbit/s shaper a held move is called off within 1.5 s
     * (three quarters of the hold) in every one of 20 seeded runs, while a hold of 0.5 s lets it through in all of
     * them; behind 2.5 Mbit/s it is made. (Within 1 s it was in 20 of 20 too before the hold's padding ramped up
     * over its first 0.5 s; now in 17 of 20.)
     */
    @Test
    void theUpHoldOutlastsTheTimeAShaperTakesToShowAcross20Seeds() {
        int slow = 0;
        int slowAt1s = 0;
        int slowAtHalf = 0;
        int fast = 0;
        for (long seed = 1; seed <= 20; seed++) {
            slow += movesUp(600_000, seed);
            slowAt1s += movesUp(600_000, seed, S * 3 / 2);
            slowAtHalf += movesUp(600_000, seed, S / 2);
            fast += movesUp(2_500_000, seed);
        }
        assertThat(slow).as("moves made behind 600 kbit/s").isZero();
        assertThat(slowAt1s).as("with three quarters of the hold").isZero();
        assertThat(slowAtHalf).as("a 0.5 s hold is too short to see the shaper").isEqualTo(20);
        assertThat(fast).as("moves made behind 2.5 Mbit/s").isEqualTo(20);
    }

    /**
     * A held move that the path cannot carry costs the viewer little: behind the 600 kbit/s shaper (32 KB bucket, a
     * 250 ms queue that drops beyond) a hold at the middle layer's rate with headroom (1.1 Mbit/s, what the layer
     * choice pads first) ramps up and is stopped once its queue is 25 ms deep, so no packet is dropped and none waits
     * 230 ms in any of 20 seeds. Measured without the stop: dropped packets in 3 of 20 seeds, queues to the limit in
     * 7; at the top layer's rate (1.75 Mbit/s, what a hold padded before it went by the middle layer) 60–160
     * packets dropped in every seed.
     */
    @Test
    void aHoldThePathCannotCarryIsStoppedBeforeItsQueueFillsAcross20Seeds() {
        long[] peaks = new long[20];
        long dropped = 0, refused = 0;
        for (int seed = 1; seed <= 20; seed++) {
            LinkSimulation sim = new LinkSimulation(600_000, 190_000, seed);
            assertThat(movesUp(sim, 1_100_000, LayerSelector.DEFAULT_UP_HOLD_NANOS)).isZero();
            peaks[seed - 1] = sim.peakQueueNanos / MS;
            dropped += sim.packetsDropped;
            refused += sim.estimator.holdsRefused();
        }
        System.out.println("[bwe] deepest bottleneck queue per seed behind 600 kbit/s, holding 1.1 Mbit/s, ms: "
                + java.util.Arrays.toString(peaks) + "; packets dropped " + dropped + "; holds stopped for their queue " + refused);
        assertThat(dropped).isZero();
        assertThat(java.util.Arrays.stream(peaks).max().orElseThrow()).as("the deepest queue of all seeds, ms").isLessThan(230);
        assertThat(refused).as("the queue stopped holds").isPositive();
    }

    // ---- trace helpers

    private long mean(long from, long to) {
        long sum = 0, n = 0;
        for (long[] p : trace) if (p[0] >= from && p[0] < to) { sum += p[1]; n++; }
        return sum / Math.max(1, n);
    }

    private long min(long from, long to) {
        long m = Long.MAX_VALUE;
        for (long[] p : trace) if (p[0] >= from && p[0] < to) m = Math.min(m, p[1]);
        return m;
    }

    private long max(long from, long to) {
        long m = Long.MIN_VALUE;
        for (long[] p : trace) if (p[0] >= from && p[0] < to) m = Math.max(m, p[1]);
        return m;
    }

    private long firstTimeBelow(long from, long bps) {
        for (long[] p : trace) if (p[0] >= from && p[1] < bps) return p[0];
        return Long.MAX_VALUE / 2;
    }

    private long firstTimeAbove(long from, long bps) {
        for (long[] p : trace) if (p[0] >= from && p[1] >= bps) return p[0];
        return Long.MAX_VALUE / 2;
    }

    private void print(String name) {
        StringBuilder b = new StringBuilder(name).append(": ");
        for (int i = 0; i < trace.size(); i += 10) {
            long[] p = trace.get(i);
            b.append(p[0] / S).append("s=").append(p[1] / 1000).append(' ');
        }
        System.out.println(b);
    }
}
