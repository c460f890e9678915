package live.cascade.sfu.feedback;

import live.cascade.sfu.rtcp.FeedbackKind;
import live.cascade.sfu.rtcp.RtcpFeedback;
import live.cascade.sfu.rtcp.RtcpRemb;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpWalker;
import live.cascade.sfu.rtcp.RtcpWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RembTest {
    private static final long MS = 1_000_000L;

    @Test
    void rembPacketCarriesTheBitrateAndSsrcsItNames() {
        byte[] buf = new byte[64];
        int n = RtcpWriter.writeRemb(buf, 0, 0x5EED, 2_500_000, new long[] {0x1000, 0x2000, 0x3000}, 2);
        assertThat(n).isEqualTo(28);
        RtcpWalker walker = new RtcpWalker();
        assertThat(walker.validate(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        RtcpFeedback fb = new RtcpFeedback();
        assertThat(fb.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.REMB);
        assertThat(fb.senderSsrc()).isEqualTo(0x5EED);
        assertThat(fb.mediaSsrc()).isZero();
        RtcpRemb remb = new RtcpRemb();
        assertThat(remb.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(remb.ssrcCount()).isEqualTo(2);
        assertThat(remb.ssrc(0)).isEqualTo(0x1000);
        assertThat(remb.ssrc(1)).isEqualTo(0x2000);
        // 2,500,000 needs 4 shifts to fit 18 bits: the value comes back rounded down to a multiple of 16.
        assertThat(remb.bitrate()).isEqualTo(2_500_000 / 16 * 16);
    }

    @Test
    void rembEncodesSmallAndHugeBitratesWithinTheirPrecision() {
        byte[] buf = new byte[64];
        long[] ssrc = {1};
        for (long bps : new long[] {0, 1, 262_143, 262_144, 10_000_000, 1L << 40}) {
            int n = RtcpWriter.writeRemb(buf, 0, 1, bps, ssrc, 1);
            RtcpRemb remb = new RtcpRemb();
            assertThat(remb.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
            assertThat(remb.bitrate()).isLessThanOrEqualTo(bps);
            assertThat(remb.bitrate()).isGreaterThanOrEqualTo(bps - bps / (1 << 17));
        }
    }

    /** Feeds {@code bps} for {@code millis} in 10 ms steps with {@code lossPercent} of packets lost; updates every 250 ms. */
    private static long run(RembEstimator e, long[] clock, long[] counters, long bps, int millis, int lossPercent) {
        long estimate = e.estimate();
        for (int ms = 0; ms < millis; ms += 10) {
            clock[0] += 10 * MS;
            int bytes = (int) (bps / 8 / 100);
            e.onPacket(bytes);
            counters[0] += 100;                 // expected
            counters[1] += 100 - lossPercent;   // originals received
            if ((clock[0] / MS) % 250 == 0) estimate = e.update(clock[0], counters[0], counters[1]);
        }
        return estimate;
    }

    @Test
    void estimateStartsAfterHalfASecondAndLeadsTheIncomingRateWithoutLoss() {
        RembEstimator e = new RembEstimator(10_000_000);
        long[] clock = {0};
        long[] counters = {0, 0};
        assertThat(run(e, clock, counters, 1_000_000, 250, 0)).isEqualTo(-1);
        long first = run(e, clock, counters, 1_000_000, 1000, 0);
        assertThat(first).isBetween(1_400_000L, 1_600_000L);
        assertThat(e.incomingBitrate()).isBetween(950_000L, 1_050_000L);
    }

    @Test
    void aSenderFollowingTheEstimateRampsToTheMaximumWithinSeconds() {
        RembEstimator e = new RembEstimator(10_000_000);
        long[] clock = {0};
        long[] counters = {0, 0};
        long rate = 300_000; // a WebRTC sender's usual start bitrate
        long estimate = -1;
        for (int second = 0; second < 10; second++) {
            estimate = run(e, clock, counters, rate, 1000, 0);
            if (estimate > 0) rate = estimate; // the encoder takes what it is given
        }
        assertThat(estimate).isEqualTo(10_000_000);
    }

    @Test
    void holdsOnModerateLossBacksOffOnHeavyLossAndNeverGoesBelowTheMinimum() {
        RembEstimator e = new RembEstimator(10_000_000);
        long[] clock = {0};
        long[] counters = {0, 0};
        long ok = run(e, clock, counters, 2_000_000, 2000, 0);
        assertThat(ok).isBetween(2_900_000L, 3_100_000L);
        long held = run(e, clock, counters, 2_000_000, 2000, 5);
        assertThat(held).isEqualTo(ok);
        long heavy = run(e, clock, counters, 2_000_000, 2000, 30);
        assertThat(e.lossFraction()).isBetween(0.29, 0.31);
        assertThat(heavy).isBetween(1_650_000L, 1_750_000L); // 2 Mbit/s × (1 − 0.3 / 2)
        long starved = run(e, clock, counters, 50_000, 3000, 90);
        assertThat(starved).isEqualTo(RembEstimator.MIN_BITRATE);
    }

    @Test
    void neverExceedsTheConfiguredMaximum() {
        RembEstimator e = new RembEstimator(1_000_000);
        long[] clock = {0};
        long[] counters = {0, 0};
        assertThat(run(e, clock, counters, 5_000_000, 3000, 0)).isEqualTo(1_000_000);
    }
}
