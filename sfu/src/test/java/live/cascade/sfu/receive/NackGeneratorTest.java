package live.cascade.sfu.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import live.cascade.sfu.rtcp.RtcpNack;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private static final long RETRY = 50 * MS;

    private final NackGenerator nack = new NackGenerator(64, 3, 1000 * MS, 5 * MS);
    private final SequenceUnwrapper unwrap = new SequenceUnwrapper();
    private final int[] out = new int[64];
    private long now = 1_000 * MS;

    private int receive(int seq) { return nack.onPacket(unwrap.unwrap(seq), now); }

    private int[] collect() {
        int n = nack.collect(now, RETRY, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void asksForEachMissingPacketOnceTheReorderDelayHasPassed() {
        receive(10);
        receive(11);
        assertThat(receive(14)).isEqualTo(NackGenerator.IN_ORDER);
        assertThat(nack.missingCount()).isEqualTo(2);
        assertThat(collect()).as("too early: could be reordering").isEmpty();
        now += 5 * MS;
        assertThat(collect()).containsExactly(12, 13);
        assertThat(collect()).as("not again before the retry interval").isEmpty();
    }

    @Test
    void retriesAreSpacedByTheRetryIntervalAndLimited() {
        receive(1);
        receive(3);
        now += 5 * MS;
        assertThat(collect()).containsExactly(2);
        now += RETRY - MS;
        assertThat(collect()).isEmpty();
        now += MS;
        assertThat(collect()).containsExactly(2);
        now += RETRY;
        assertThat(collect()).containsExactly(2);
        now += RETRY;
        assertThat(collect()).as("three requests, then given up").isEmpty();
        assertThat(nack.missingCount()).isZero();
        assertThat(nack.givenUpCount()).isEqualTo(1);
        assertThat(nack.requestedCount()).isEqualTo(3);
    }

    @Test
    void givesUpOnPacketsOlderThanTheMaximumAge() {
        NackGenerator patient = new NackGenerator(64, 100, 200 * MS, 0);
        patient.onPacket(1, now);
        patient.onPacket(3, now);
        int asked = 0;
        for (int i = 0; i < 20; i++) {
            asked += patient.collect(now, 20 * MS, out);
            now += 20 * MS;
        }
        assertThat(asked).isBetween(9, 11);
        assertThat(patient.missingCount()).isZero();
    }

    @Test
    void aRecoveredPacketIsNoLongerRequestedAndGivesARoundTripSample() {
        receive(1);
        receive(4);
        now += 5 * MS;
        assertThat(collect()).containsExactly(2, 3);
        now += 30 * MS;
        assertThat(receive(2)).isEqualTo(NackGenerator.RECOVERED);
        assertThat(nack.roundTripNanos()).isEqualTo(30 * MS);
        assertThat(receive(2)).isEqualTo(NackGenerator.DUPLICATE_OR_LATE);
        now += RETRY;
        assertThat(collect()).containsExactly(3);
        assertThat(nack.recoveredCount()).isEqualTo(1);
    }

    @Test
    void worksAcrossTheSixteenBitWrap() {
        receive(65_533);
        receive(65_534);
        receive(2); // 65535, 0 and 1 missing
        now += 5 * MS;
        assertThat(collect()).containsExactly(65_535, 0, 1);
        assertThat(receive(0)).isEqualTo(NackGenerator.RECOVERED);
        now += RETRY;
        assertThat(collect()).containsExactly(65_535, 1);
        byte[] rtcp = new byte[64];
        int n = RtcpWriter.writeNack(rtcp, 0, 1, 2, new int[] {65_535, 1}, 2);
        RtcpNack parsed = new RtcpNack();
        assertThat(parsed.parse(rtcp, 0, n)).isEqualTo(RtcpStatus.OK);
        int[] lost = new int[4];
        assertThat(Arrays.copyOf(lost, parsed.lostSequenceNumbers(lost))).containsExactly(65_535, 1);
        assertThat(parsed.itemCount()).as("one PID/BLP pair across the wrap").isEqualTo(1);
    }

    @Test
    void aGapLargerThanTheListClearsItAndAsksForAKeyframeInstead() {
        receive(100);
        receive(102);
        assertThat(receive(200)).isEqualTo(NackGenerator.GAP_TOO_LARGE);
        assertThat(nack.missingCount()).isZero();
        assertThat(receive(201)).isEqualTo(NackGenerator.IN_ORDER);
    }

    @Test
    void aKeyframeClearsOlderRequests() {
        receive(1);
        receive(5);
        receive(7);
        nack.clearBefore(unwrap.unwrap(6));
        now += 5 * MS;
        assertThat(collect()).containsExactly(6);
    }

    @Test
    void sustainedLossCostsABoundedNumberOfRequests() {
        NackGenerator g = new NackGenerator(512, 10, 1000 * MS, 5 * MS);
        SequenceUnwrapper u = new SequenceUnwrapper();
        SplittableRandom r = new SplittableRandom(7);
        int[] buf = new int[256];
        long t = 0;
        long lost = 0;
        long requested = 0;
        int nackPackets = 0;
        for (int i = 0; i < 60_000; i++) { // 60 s at 1000 packets/s, 30 % lost, nothing ever repaired
            t += MS;
            if (r.nextInt(100) < 30) {
                lost++;
            } else {
                g.onPacket(u.unwrap(i & 0xFFFF), t);
            }
            if (i % 10 == 0) {
                int n = g.collect(t, 20 * MS, buf);
                requested += n;
                if (n > 0) nackPackets++;
            }
        }
        assertThat(requested).isLessThanOrEqualTo(10 * lost);
        assertThat(nackPackets).as("at most one NACK packet per collect").isLessThanOrEqualTo(6000);
        assertThat(g.missingCount()).isLessThanOrEqualTo(512);
    }
}
