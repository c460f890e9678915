package live.cascade.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;

    private final List<long[]> sent = new ArrayList<>(); // {time, seq, len, first byte}
    private final Pacer.Output out = (buf, off, len, seq, now) -> sent.add(new long[] {now, seq, len, buf[off]});

    private static byte[] packet(int len, int marker) {
        byte[] b = new byte[len];
        b[0] = (byte) marker;
        return b;
    }

    @Test
    void aBurstLeavesAtTwoAndAHalfTimesTheEstimate() {
        Pacer p = new Pacer(128, 1600);
        long estimate = 1_000_000; // paced at 2.5 Mbit/s = 312.5 bytes/ms
        for (int i = 0; i < 100; i++) p.enqueue(packet(1200, i), 1200, i, false);
        for (long t = 0; t <= 1000 * MS && !p.isEmpty(); t += MS) p.release(t, estimate, out);
        assertThat(sent).hasSize(100);
        long span = sent.get(99)[0] - sent.get(0)[0];
        // 120,000 bytes at 312.5 bytes/ms is 384 ms; the first 10 ms of burst go at once.
        assertThat(span).isBetween(360 * MS, 400 * MS);
        for (int i = 0; i < 100; i++) assertThat(sent.get(i)[1]).isEqualTo(i); // in order
    }

    @Test
    void theDrainTimeSaysWhenAPacketQueuedNowWouldLeave() {
        Pacer p = new Pacer(128, 1600);
        long estimate = 1_000_000;
        assertThat(p.drainNanos(estimate)).as("nothing waits").isZero();
        for (int i = 0; i < 100; i++) p.enqueue(packet(1200, i), 1200, i, false);
        assertThat(p.drainNanos(estimate)).as("120,000 bytes at 2.5 Mbit/s").isEqualTo(384 * MS);
        assertThat(p.drainNanos(-1)).as("no limit: it all goes at once").isZero();
        long predicted = p.drainNanos(estimate);
        for (long t = 0; t <= 1000 * MS && !p.isEmpty(); t += MS) p.release(t, estimate, out);
        assertThat(sent.get(99)[0]).as("the last packet left when predicted, less the burst the bucket held (10 ms and the packet that overdraws it)")
                .isBetween(predicted - 15 * MS, predicted + MS);
    }

    @Test
    void audioLeavesAheadOfQueuedVideoAndTheVideoBehindItPaysForItsBytes() {
        long estimate = 1_000_000; // 312.5 bytes/ms
        long[] lastVideo = new long[2];
        for (int run = 0; run < 2; run++) {
            sent.clear();
            Pacer p = new Pacer(128, 1600);
            for (int i = 0; i < 100; i++) p.enqueue(packet(1200, i), 1200, i, false);
            p.release(0, estimate, out);
            for (long t = MS; t <= 1000 * MS && !p.isEmpty(); t += MS) {
                if (run == 1 && t <= 10 * MS) {
                    int a = (int) (t / MS);
                    p.sendAhead(packet(250, 200 + a), 250, 200 + a, t, estimate, out);
                    long[] last = sent.get(sent.size() - 1);
                    assertThat(last[1]).as("audio left the moment it came, with 90-odd video packets queued").isEqualTo(200 + a);
                    assertThat(last[0]).isEqualTo(t);
                }
                p.release(t, estimate, out);
            }
            lastVideo[run] = sent.get(sent.size() - 1)[0];
            assertThat(sent.get(sent.size() - 1)[1]).isEqualTo(99);
        }
        // 2,500 audio bytes at 312.5 bytes/ms: the video finished 8 ms later than without them.
        assertThat(lastVideo[1] - lastVideo[0]).isBetween(7 * MS, 9 * MS);
    }

    @Test
    void withoutAnEstimateNothingWaits() {
        Pacer p = new Pacer(16, 1600);
        for (int i = 0; i < 10; i++) p.enqueue(packet(1200, i), 1200, i, false);
        p.release(0, -1, out);
        assertThat(sent).hasSize(10);
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void aFullQueueDropsItsOldestPacketThatIsNotPartOfAKeyframe() {
        Pacer p = new Pacer(4, 1600);
        p.enqueue(packet(100, 1), 100, 1, true);
        p.enqueue(packet(100, 2), 100, 2, false);
        p.enqueue(packet(100, 3), 100, 3, true);
        p.enqueue(packet(100, 4), 100, 4, false);
        p.enqueue(packet(100, 5), 100, 5, false); // full: 2 goes
        p.enqueue(packet(100, 6), 100, 6, false); // full: 4 goes
        assertThat(p.dropped()).isEqualTo(2);
        p.release(0, -1, out);
        assertThat(sent.stream().map(s -> s[1]).toList()).containsExactly(1L, 3L, 5L, 6L);
        assertThat(sent.stream().map(s -> s[3]).toList()).containsExactly(1L, 3L, 5L, 6L); // the bytes moved with them
    }

    @Test
    void aQueueOfOnlyKeyframePacketsDropsTheOldest() {
        Pacer p = new Pacer(2, 1600);
        p.enqueue(packet(100, 1), 100, 1, true);
        p.enqueue(packet(100, 2), 100, 2, true);
        p.enqueue(packet(100, 3), 100, 3, true);
        p.release(0, -1, out);
        assertThat(sent.stream().map(s -> s[1]).toList()).containsExactly(2L, 3L);
    }

    @Test
    void anIdlePacerSendsFromTheCallersBufferUntilTheBucketIsEmpty() {
        Pacer p = new Pacer(16, 1600);
        long estimate = 1_000_000; // bucket depth: 10 ms at 2.5 Mbit/s = 3,125 bytes
        int direct = 0;
        for (int i = 0; i < 5; i++) {
            byte[] b = packet(1200, i);
            if (p.sendIfIdle(b, 1200, i, 0, estimate, out)) direct++;
            else p.enqueue(b, 1200, i, false);
        }
        assertThat(direct).isEqualTo(3); // 3,125 bytes of tokens: the third overdraws, the fourth waits
        assertThat(p.queuedPackets()).isEqualTo(2);
        assertThat(p.sendIfIdle(packet(100, 9), 100, 9, 100 * MS, estimate, out)).as("not while others wait").isFalse();
        p.release(100 * MS, estimate, out);
        assertThat(sent.stream().map(s -> s[1]).toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void storageGrowsWithTheQueuesHighWaterMarkAndKeepsEveryPacketsBytes() {
        Pacer p = new Pacer(128, 1600);
        assertThat(p.storageBytes()).as("a viewer whose queue stays short holds 8 slots").isEqualTo(8 * 1600);
        for (int round = 0; round < 3; round++) { // never more than 5 queued: no growth
            for (int i = 0; i < 5; i++) p.enqueue(packet(1200, i), 1200, i, false);
            p.release(0, -1, out);
        }
        assertThat(p.storageBytes()).isEqualTo(8 * 1600);
        sent.clear();
        for (int i = 0; i < 40; i++) p.enqueue(packet(1000 + i, i), 1000 + i, i, false);
        assertThat(p.storageBytes()).as("8 -> 16 -> 32 -> 64 slots").isEqualTo(64 * 1600);
        assertThat(p.dropped()).isZero();
        p.release(0, -1, out);
        assertThat(sent).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(sent.get(i)[1]).isEqualTo(i);
            assertThat(sent.get(i)[2]).isEqualTo(1000 + i);
            assertThat(sent.get(i)[3]).isEqualTo(i); // the first byte moved with its packet across the growths
        }
        for (int i = 0; i < 300; i++) p.enqueue(packet(100, i), 100, i, false);
        assertThat(p.storageBytes()).as("never past the bound").isEqualTo(128 * 1600);
        assertThat(p.queuedPackets()).isEqualTo(128);
        assertThat(p.dropped()).isEqualTo(300 - 128);
    }

    @Test
    void grownStorageIsGivenBackOnceTheQueueHasStayedShortForAWholeWindow() {
        Pacer p = new Pacer(128, 1600);
        long window = Pacer.TRIM_WINDOW_NANOS;
        p.trim(0);
        for (int i = 0; i < 100; i++) p.enqueue(packet(1200, i), 1200, i, false); // an overload: 8 -> 128 slots
        p.release(0, -1, out);
        assertThat(p.storageBytes()).isEqualTo(128 * 1600);
        p.trim(window);
        assertThat(p.storageBytes()).as("the burst is in the window just ended").isEqualTo(128 * 1600);
        for (int i = 0; i < 3; i++) p.enqueue(packet(1200, i), 1200, i, false);
        p.release(window + MS, -1, out);
        p.trim(2 * window);
        assertThat(p.storageBytes()).as("and still in the one before").isEqualTo(128 * 1600);
        p.trim(3 * window);
        assertThat(p.storageBytes()).as("two windows of at most 3 queued: twice that, rounded up to 8").isEqualTo(8 * 1600);

        sent.clear();
        for (int i = 0; i < 20; i++) p.enqueue(packet(1000 + i, i), 1000 + i, i, false);
        p.release(3 * window + MS, -1, out);
        assertThat(sent).as("a trimmed queue grows again and keeps every packet's bytes").hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(sent.get(i)[2]).isEqualTo(1000 + i);
            assertThat(sent.get(i)[3]).isEqualTo(i);
        }
        assertThat(p.storageBytes()).isEqualTo(32 * 1600);
        assertThat(p.dropped()).isZero();
    }

    @Test
    void aQueueThatIsNotEmptyOrRecurringKeyframeBurstsKeepTheirStorage() {
        Pacer p = new Pacer(128, 1600);
        long estimate = 1_000_000;
        // A keyframe of 40 packets every 2 s, paced out over ~150 ms; the timer trims every 100 ms for 60 s.
        for (long t = 0; t < 60_000 * MS; t += 100 * MS) {
            if (t % (2_000 * MS) == 0) for (int i = 0; i < 40; i++) p.enqueue(packet(1200, i), 1200, i, true);
            p.release(t, estimate, out);
            p.trim(t);
            if (t > 0 && t % (2_000 * MS) == 0) {
                assertThat(p.storageBytes()).as("at %d ms", t / MS).isEqualTo(64 * 1600);
            }
        }
        // A queue that never empties is never trimmed, whatever its length was.
        Pacer busy = new Pacer(128, 1600);
        for (int i = 0; i < 100; i++) busy.enqueue(packet(1200, i), 1200, i, false);
        for (long t = 0; t <= 4 * Pacer.TRIM_WINDOW_NANOS; t += Pacer.TRIM_WINDOW_NANOS) busy.trim(t);
        assertThat(busy.storageBytes()).isEqualTo(128 * 1600);
        assertThat(busy.queuedPackets()).isEqualTo(100);
    }
}
