package live.cascade.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the next probe cluster starts after one that succeeded, failed, or could not be measured. */
class ProbeControllerTest {
    private static final long MS = 1_000_000L;

    /** Sends a 40 ms cluster of 10 packets of 1,000 bytes from {@code start}; returns the last extended sequence. */
    private static long sendCluster(ProbeController p, long start, long firstSeq) {
        long seq = firstSeq;
        for (int i = 0; i < 10; i++, seq++) p.onSent(seq, 1_000, start + i * 5 * MS);
        return seq - 1;
    }

    @Test
    void aProbeWhoseArrivalsCannotBeMeasuredIsRetriedAfterASecondNotAfterAFailedProbesWait() {
        ProbeController p = new ProbeController();
        int id = p.maybeStart(500_000, 5_000_000, 0);
        assertThat(id).isNotNegative();
        long last = sendCluster(p, 0, 0);
        // Every arrival stamped alike: a receiver that timestamps in batches says nothing about the path's rate.
        for (int i = 0; i < 10; i++) p.onReceived(id, i * 5 * MS, 100 * MS, 1_000);
        assertThat(p.result(last, 150 * MS)).isEqualTo(-1);
        assertThat(p.maybeStart(500_000, 5_000_000, 150 * MS + ProbeController.UNMEASURED_RETRY_NANOS - 1)).isEqualTo(-1);
        assertThat(p.maybeStart(500_000, 5_000_000, 150 * MS + ProbeController.UNMEASURED_RETRY_NANOS)).isNotNegative();
    }

    @Test
    void aProbeThePathCouldNotCarryWaitsTheFullRetryAndOneItCarriedIsFollowedAtOnce() {
        ProbeController p = new ProbeController();
        int id = p.maybeStart(500_000, 5_000_000, 0);
        long last = sendCluster(p, 0, 0);
        // Arrivals spread over four times the send span: the link delivered a quarter of the rate, less than the
        // estimate the probe set out from.
        for (int i = 0; i < 10; i++) p.onReceived(id, i * 5 * MS, 50 * MS + i * 20 * MS, 1_000);
        long measured = p.result(last, 200 * MS);
        assertThat(measured).isPositive().isLessThan(500_000);
        assertThat(p.maybeStart(500_000, 5_000_000, 200 * MS + ProbeController.UNMEASURED_RETRY_NANOS)).isEqualTo(-1);
        assertThat(p.maybeStart(500_000, 5_000_000, ProbeController.RETRY_NANOS)).isNotNegative();

        ProbeController ok = new ProbeController();
        int okId = ok.maybeStart(500_000, 5_000_000, 0);
        long okLast = sendCluster(ok, 0, 0);
        for (int i = 0; i < 10; i++) ok.onReceived(okId, i * 5 * MS, 50 * MS + i * 5 * MS, 1_000);
        assertThat(ok.result(okLast, 200 * MS)).isGreaterThanOrEqualTo(900_000);
        assertThat(ok.maybeStart(1_000_000, 5_000_000, 300 * MS)).as("exponential probing goes on").isNotNegative();
    }

    @Test
    void aProbeShortOfItsTargetThatStillFoundMoreThanTheEstimateIsFollowedAtOnce() {
        ProbeController p = new ProbeController();
        int id = p.maybeStart(500_000, 5_000_000, 0); // the first probe aims at twice the estimate
        long last = sendCluster(p, 0, 0);
        // Arrivals over 2.5 times the send span: about 610 kbit/s read, short of the 1 Mbit/s aimed at, but 1.2 times
        // the estimate.
        for (int i = 0; i < 10; i++) p.onReceived(id, i * 5 * MS, 50 * MS + i * 25 * MS / 2, 1_000);
        long measured = p.result(last, 200 * MS);
        assertThat(measured).isBetween(525_000L, 900_000L);
        assertThat(p.maybeStart(measured, 5_000_000, 300 * MS)).as("the climb goes on").isNotNegative();
    }
}
