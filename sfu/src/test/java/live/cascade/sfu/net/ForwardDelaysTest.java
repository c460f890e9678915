package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardDelaysTest {
    @Test
    void eachDelayLandsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        ForwardDelays d = new ForwardDelays();
        d.record(0);           // ≤ 0.1 ms
        d.record(100_000);     // on the bound: still ≤ 0.1 ms
        d.record(100_001);     // ≤ 0.25 ms
        d.record(3_000_000);   // ≤ 5 ms
        d.record(100_000_000); // ≤ 100 ms
        d.record(400_000_000); // above every bound
        d.record(-5);          // a clock read before the stamp counts as 0
        ForwardDelays.Snapshot s = d.snapshot();
        assertThat(s.counts()).containsExactly(3, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1);
        assertThat(s.count()).isEqualTo(7);
        assertThat(s.sumNanos()).isEqualTo(100_000 + 100_001 + 3_000_000 + 100_000_000 + 400_000_000);
    }

    @Test
    void anUnknownArrivalIsNotRecorded() {
        ForwardDelays d = new ForwardDelays();
        d.recordSince(-1);
        assertThat(d.snapshot().count()).isZero();
        d.recordSince(System.nanoTime() - 2_000_000);
        ForwardDelays.Snapshot s = d.snapshot();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.sumNanos()).isGreaterThanOrEqualTo(2_000_000);
    }

    @Test
    void snapshotsAreCopiesThatAddUpAcrossWorkers() {
        ForwardDelays a = new ForwardDelays();
        ForwardDelays b = new ForwardDelays();
        a.record(50_000);
        ForwardDelays.Snapshot first = a.snapshot();
        a.record(50_000);
        b.record(7_000_000);
        assertThat(first.count()).as("a snapshot does not follow later records").isEqualTo(1);
        ForwardDelays.Snapshot sum = ForwardDelays.Snapshot.EMPTY.plus(a.snapshot()).plus(b.snapshot());
        assertThat(sum.counts()).containsExactly(2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
        assertThat(sum.sumNanos()).isEqualTo(7_100_000);
        assertThat(ForwardDelays.Snapshot.upperBoundsSeconds()).hasSize(11).endsWith(Double.POSITIVE_INFINITY);
        assertThat(ForwardDelays.Snapshot.upperBoundsSeconds()[3]).isEqualTo(0.001);
    }
}
