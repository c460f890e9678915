package live.cascade.sfu.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import live.cascade.sfu.rtcp.FeedbackKind;
import live.cascade.sfu.rtcp.RtcpFeedback;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;
import live.cascade.sfu.rtcp.RtcpWalker;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    /** A monotonic origin that is not a multiple of anything interesting. */
    private static final long T0 = 123_456_789_012L;

    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final byte[] buf = new byte[1500];

    /** One decoded feedback: base, count, reference time, and the arrival tick of each reported packet (null = lost). */
    private record Decoded(int base, int count, int referenceTime, int feedbackCount, List<Long> arrivals, int length) {}

    private Decoded writeAndDecode() {
        int n = feedback.write(buf, 0, 0x5EED, 0x2000);
        assertThat(n).isPositive();
        assertThat(n % 4).isZero();
        RtcpWalker walker = new RtcpWalker();
        assertThat(walker.validate(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        walker.reset(buf, 0, n);
        assertThat(walker.next()).isTrue();
        RtcpFeedback fb = new RtcpFeedback();
        assertThat(fb.parse(buf, 0, walker.contentLength())).isEqualTo(RtcpStatus.OK);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.TRANSPORT_CC);
        RtcpTransportCc tcc = new RtcpTransportCc();
        assertThat(tcc.parse(buf, 0, walker.contentLength())).isEqualTo(RtcpStatus.OK);
        assertThat(tcc.senderSsrc()).isEqualTo(0x5EED);
        assertThat(tcc.mediaSsrc()).isEqualTo(0x2000);
        int count = tcc.packetStatusCount();
        byte[] statuses = new byte[count];
        int[] deltas = new int[count];
        assertThat(tcc.decode(statuses, deltas)).isEqualTo(RtcpStatus.OK);
        List<Long> arrivals = new ArrayList<>();
        long t = (long) tcc.referenceTime() * TransportCcFeedback.TICKS_PER_REFERENCE;
        for (int i = 0; i < count; i++) {
            if (statuses[i] == RtcpTransportCc.NOT_RECEIVED) {
                arrivals.add(null);
            } else {
                if (statuses[i] == RtcpTransportCc.SMALL_DELTA) assertThat(deltas[i]).isBetween(0, 255);
                t += deltas[i];
                arrivals.add(t);
            }
        }
        assertThat(tcc.receivedCount() + tcc.lostCount()).isEqualTo(count);
        return new Decoded(tcc.baseSequenceNumber(), count, tcc.referenceTime(), tcc.feedbackPacketCount(), arrivals, n);
    }

    private static long ticks(long nanos) { return Math.floorDiv(nanos, TransportCcFeedback.TICK_NANOS); }

    /** The reference time is 24-bit: compare arrival ticks modulo its span. */
    private static long mod24(long ticks) {
        return Math.floorMod(ticks, (1L << 24) * TransportCcFeedback.TICKS_PER_REFERENCE);
    }

    private static void assertArrivals(Decoded d, Map<Integer, Long> sent) {
        int i = 0;
        for (Map.Entry<Integer, Long> e : sent.entrySet()) {
            assertThat((d.base() + i) & 0xFFFF).as("sequence order").isEqualTo(e.getKey());
            Long got = d.arrivals().get(i);
            if (e.getValue() == null) {
                assertThat(got).as("seq %d lost", e.getKey()).isNull();
            } else {
                assertThat(got).as("seq %d received", e.getKey()).isNotNull();
                assertThat(mod24(got)).as("seq %d arrival tick", e.getKey()).isEqualTo(mod24(ticks(e.getValue())));
            }
            i++;
        }
        assertThat(d.count()).isEqualTo(sent.size());
    }

    @Test
    void reportsEveryPacketWithExactArrivalTimesAcrossTheSequenceWrap() {
        Map<Integer, Long> sent = new LinkedHashMap<>();
        long t = T0;
        for (int i = 0; i < 40; i++) {
            int seq = (65_520 + i) & 0xFFFF;
            t += 3 * MS + 137 * US;
            feedback.onPacket(seq, t);
            sent.put(seq, t);
        }
        Decoded d = writeAndDecode();
        assertThat(d.base()).isEqualTo(65_520);
        assertArrivals(d, sent);
        assertThat(feedback.hasPending()).isFalse();
        assertThat(feedback.write(buf, 0, 1, 2)).as("nothing is reported twice").isZero();
    }

    @Test
    void marksMissingPacketsAsNotReceivedAndTheNextFeedbackStartsAfterTheLast() {
        Map<Integer, Long> sent = new LinkedHashMap<>();
        long t = T0;
        for (int seq = 100; seq < 160; seq++) {
            t += 2 * MS;
            boolean lost = seq % 7 == 3 || (seq >= 120 && seq < 140);
            if (!lost) feedback.onPacket(seq, t);
            sent.put(seq, lost ? null : t);
        }
        Decoded d = writeAndDecode();
        assertArrivals(d, sent);
        assertThat(d.arrivals().stream().filter(a -> a == null).count()).isEqualTo(20 + 6);

        feedback.onPacket(161, t + 5 * MS); // 160 lost between two feedbacks
        Decoded next = writeAndDecode();
        assertThat(next.base()).isEqualTo(160);
        assertThat(next.arrivals()).hasSize(2);
        assertThat(next.arrivals().get(0)).isNull();
        assertThat(next.feedbackCount()).isEqualTo((d.feedbackCount() + 1) & 0xFF);
    }

    @Test
    void usesLargeDeltasForReorderingAndLongGaps() {
        Map<Integer, Long> sent = new LinkedHashMap<>();
        sent.put(1, T0);
        sent.put(2, T0 + 200 * MS);        // 200 ms later: beyond one byte of 250 µs
        sent.put(3, T0 + 190 * MS);        // arrived before 2: a negative delta
        sent.put(4, T0 + 190 * MS + 250 * US);
        feedback.onPacket(1, sent.get(1));
        feedback.onPacket(3, sent.get(3));
        feedback.onPacket(4, sent.get(4));
        feedback.onPacket(2, sent.get(2));
        Decoded d = writeAndDecode();
        assertArrivals(d, sent);
    }

    @Test
    void encodesLongRunsAndMixedStatusesInSeveralChunks() {
        Map<Integer, Long> sent = new LinkedHashMap<>();
        long t = T0;
        int seq = 5000;
        for (int i = 0; i < 30; i++, seq++) { t += MS; feedback.onPacket(seq, t); sent.put(seq, t); } // run of small
        for (int i = 0; i < 100; i++, seq++) sent.put(seq, null);                                   // run of lost
        for (int i = 0; i < 25; i++, seq++) {                                                       // alternating
            t += i % 3 == 0 ? 80 * MS : 2 * MS;
            if (i % 2 == 0) {
                feedback.onPacket(seq, t);
                sent.put(seq, t);
            } else {
                sent.put(seq, null);
            }
        }
        Decoded d = writeAndDecode();
        assertArrivals(d, sent);
    }

    @Test
    void endsAFeedbackBeforeADeltaLargerThanEightSeconds() {
        feedback.onPacket(10, T0);
        feedback.onPacket(11, T0 + 9_000 * MS);
        Decoded first = writeAndDecode();
        assertThat(first.count()).isEqualTo(1);
        assertThat(feedback.hasPending()).isTrue();
        Decoded second = writeAndDecode();
        assertThat(second.base()).isEqualTo(11);
        assertThat(mod24(second.arrivals().get(0))).isEqualTo(mod24(ticks(T0 + 9_000 * MS)));
    }

    @Test
    void splitsABacklogIntoFeedbacksThatFitTheBudget() {
        Map<Integer, Long> sent = new LinkedHashMap<>();
        long t = T0;
        for (int seq = 0; seq < 3000; seq++) {
            t += seq % 2 == 0 ? 70 * MS : 0; // every other delta large: the worst case for size
            feedback.onPacket(seq, t);
            sent.put(seq, t);
        }
        List<Decoded> all = new ArrayList<>();
        while (feedback.hasPending()) {
            Decoded d = writeAndDecode();
            assertThat(d.length()).isLessThanOrEqualTo(TransportCcFeedback.MAX_FEEDBACK_BYTES);
            all.add(d);
        }
        assertThat(all.size()).isGreaterThan(1);
        int expectedBase = 0;
        for (Decoded d : all) {
            assertThat(d.base()).isEqualTo(expectedBase);
            Map<Integer, Long> part = new LinkedHashMap<>();
            for (int i = 0; i < d.count(); i++) part.put(expectedBase + i, sent.get(expectedBase + i));
            assertArrivals(d, part);
            expectedBase += d.count();
        }
        assertThat(expectedBase).isEqualTo(3000);
    }

    @Test
    void ignoresDuplicatesAndCountsPacketsThatComeAfterTheirFeedback() {
        feedback.onPacket(7, T0);
        feedback.onPacket(7, T0 + 5 * MS);
        feedback.onPacket(9, T0 + 10 * MS);
        Decoded d = writeAndDecode();
        assertThat(mod24(d.arrivals().get(0))).isEqualTo(mod24(ticks(T0)));
        feedback.onPacket(8, T0 + 12 * MS);
        assertThat(feedback.latePackets()).isEqualTo(1);
        assertThat(feedback.hasPending()).isFalse();
    }

    @Test
    void theWindowGrowsBackwardsForPacketsReorderedBeforeTheFirstFeedback() {
        feedback.onPacket(21, T0 + MS);
        feedback.onPacket(20, T0 + 2 * MS);
        Decoded d = writeAndDecode();
        assertThat(d.base()).isEqualTo(20);
        assertThat(d.arrivals()).doesNotContainNull().hasSize(2);
    }

    @Test
    void referenceTimeWrapsIn24BitsAndNegativeClockOriginsWork() {
        long t = -5 * MS; // System.nanoTime may be negative
        feedback.onPacket(1, t);
        feedback.onPacket(2, t + 3 * MS);
        Decoded d = writeAndDecode();
        assertThat(mod24(d.arrivals().get(1) - d.arrivals().get(0))).isEqualTo(12);

        TransportCcFeedback far = new TransportCcFeedback();
        long late = (1L << 24) * 64 * MS + 70 * MS; // past the 24-bit reference time's span
        far.onPacket(1, late);
        int n = far.write(buf, 0, 1, 2);
        RtcpTransportCc tcc = new RtcpTransportCc();
        assertThat(tcc.parse(buf, 0, n - (buf[0] & 0x20) / 0x20 * (buf[n - 1] & 0xFF))).isEqualTo(RtcpStatus.OK);
        assertThat(tcc.referenceTime()).isEqualTo(1);
    }
}
