package live.cascade.sfu.feedback;

import live.cascade.sfu.rtp.AbsSendTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalDelayTest {
    private static final long MS = 1_000_000L;

    @Test
    void aPathWithoutQueueingShowsNoDelayEvenAcrossTheSixtyFourSecondWrap() {
        ArrivalDelay d = new ArrivalDelay();
        long send = 63_900 * MS; // 100 ms before abs-send-time wraps
        for (int i = 0; i < 400; i++) {
            long t = send + i * MS;
            d.onPacket(AbsSendTime.fromNanos(t), t + 3 * MS); // a constant 3 ms path
        }
        // abs-send-time has a resolution of 3.8 µs: nothing above that shows.
        assertThat(d.currentWindowMaxNanos()).isLessThan(10_000);
    }

    @Test
    void aWorkerThatStampsLateShowsItsLatenessOverTheFastestPacket() {
        ArrivalDelay d = new ArrivalDelay();
        long t0 = 5_000 * MS;
        for (int i = 0; i < 100; i++) {
            long sent = t0 + i * MS;
            // Packets 40..59 sit in the socket while the worker is descheduled, then are read in a burst at 60 ms.
            long stamped = i >= 40 && i < 60 ? t0 + 60 * MS : sent + MS;
            d.onPacket(AbsSendTime.fromNanos(sent), stamped);
        }
        // Packet 40 was sent at 40 ms and stamped at 60 ms: 20 ms, 19 ms over the 1 ms path.
        assertThat(d.currentWindowMaxNanos()).isBetween(19 * MS - 10_000, 19 * MS + 10_000);
        d.closeWindow();
        assertThat(d.lastWindowMaxNanos()).isBetween(19 * MS - 10_000, 19 * MS + 10_000);
        assertThat(d.currentWindowMaxNanos()).isZero();
        assertThat(d.packets()).isEqualTo(100);
    }
}
