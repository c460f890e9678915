package live.cascade.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendHistoryTest {
    private static final long MS = 1_000_000L;

    @Test
    void aStreamWhoseFeedbackComesStaysInTheFirstRingAndOldNumbersAnswerUnknown() {
        SendHistory h = new SendHistory();
        long now = 0;
        // 30 s at 200 packets a second, each reported 100 ms after it left.
        for (int i = 0; i < 6_000; i++, now += 5 * MS) {
            h.onSent(i & 0xFFFF, 1200, -1, now);
            if (i >= 20) h.markReported(h.slotOf(i - 20));
        }
        assertThat(h.capacity()).as("slots").isEqualTo(SendHistory.INITIAL_CAPACITY);
        assertThat(h.slotOf(5_999)).isNotNegative();
        assertThat(h.sendNanos(h.slotOf(5_999))).isEqualTo(now - 5 * MS);
        assertThat(h.slotOf(5_999 - SendHistory.INITIAL_CAPACITY)).as("overwritten long ago").isEqualTo(-1);
    }

    @Test
    void packetsNotYetReportedAreKeptByGrowingAndEachKeepsItsTimeSizeAndCluster() {
        SendHistory h = new SendHistory();
        h.onSent(59_999, 1000, -1, 999 * MS);
        h.markReported(h.slotOf(59_999)); // feedback flows
        // 3,000 packets in 1 s (about 30 Mbit/s), none reported yet: all are younger than the keep time.
        for (int i = 0; i < 3_000; i++) h.onSent((60_000 + i) & 0xFFFF, 1000 + i % 200, i % 7, 1_000 * MS + i * MS / 3);
        assertThat(h.capacity()).as("512 -> 1,024 -> 2,048 -> 4,096").isEqualTo(4_096);
        for (int i = 0; i < 3_000; i++) {
            int slot = h.slotOf(60_000 + i);
            assertThat(slot).as("packet %d (across the 16-bit wrap)", i).isNotNegative();
            assertThat(h.sendNanos(slot)).isEqualTo(1_000 * MS + i * MS / 3);
            assertThat(h.size(slot)).isEqualTo(1000 + i % 200);
            assertThat(h.cluster(slot)).isEqualTo(i % 7);
        }
        // Unreported but older than the keep time: overwritten, no growth.
        for (int i = 3_000; i < 3_000 + 4_096; i++) h.onSent((60_000 + i) & 0xFFFF, 1000, -1, 4_000 * MS + i * MS / 3);
        assertThat(h.capacity()).isEqualTo(4_096);
        assertThat(h.slotOf(60_000)).isEqualTo(-1);
    }

    @Test
    void aViewerThatNeverReportsAnythingKeepsTheFirstRing() {
        SendHistory h = new SendHistory();
        for (int i = 0; i < 3_000; i++) h.onSent(i, 1000, -1, i * MS / 3);
        assertThat(h.capacity()).isEqualTo(SendHistory.INITIAL_CAPACITY);
        assertThat(h.slotOf(2_999)).isNotNegative();
    }

    @Test
    void theRingStopsGrowingAtItsBound() {
        SendHistory h = new SendHistory();
        h.onSent(0, 100, -1, 0);
        h.markReported(h.slotOf(0));
        for (int i = 1; i < 20_000; i++) h.onSent(i & 0xFFFF, 100, -1, i * MS / 20);
        assertThat(h.capacity()).isEqualTo(SendHistory.MAX_CAPACITY);
        assertThat(h.slotOf(19_999)).isNotNegative();
        assertThat(h.slotOf(19_999 - SendHistory.MAX_CAPACITY)).isEqualTo(-1);
    }
}
