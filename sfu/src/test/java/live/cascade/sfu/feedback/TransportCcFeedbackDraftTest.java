package live.cascade.sfu.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import live.cascade.sfu.feedback.DraftTransportCcDecoder.Feedback;
import live.cascade.sfu.feedback.DraftTransportCcDecoder.Status;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportCcFeedback}'s output read by {@link DraftTransportCcDecoder} (the draft's format, not our parser),
 * and interpreted the way a libwebrtc sender does (TransportFeedbackAdapter): reference times unwrapped against the
 * previous feedback's, per packet the last report wins (a packet reported lost and then received counts as
 * received), sequence numbers unwrapped. Packet sequences are recorded arrival orders: what the feedback must say is
 * known exactly, so every assertion compares with the truth.
 */
class TransportCcFeedbackDraftTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    /** Reference time span: 2^24 × 64 ms, in 250 µs ticks. */
    private static final long WRAP_TICKS = (1L << 24) * 256;

    /** One packet at the receiver: its transport-wide sequence number (16 bits) and when it arrived. */
    private record Arrival(int sequence, long nanos) {}

    /**
     * What the sender learns: per extended sequence number the arrival time (ticks on the sender's unwrapped time
     * line, offset to the first feedback's reference time) or lost, how many times a packet was reported lost before it was
     * reported received, and the feedbacks themselves.
     */
    private static final class SenderView {
        final Map<Long, Long> arrival = new HashMap<>();
        final Map<Long, Integer> reportedLost = new HashMap<>();
        final List<Feedback> feedbacks = new ArrayList<>();
        private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        private boolean haveBase;
        private long lastReference;
        private long offsetTicks;

        void accept(byte[] buf, int len) {
            Feedback f = DraftTransportCcDecoder.decode(buf, 0, len);
            assertThat(f.length()).as("feedback size").isLessThanOrEqualTo(TransportCcFeedback.MAX_FEEDBACK_BYTES);
            feedbacks.add(f);
            // libwebrtc: the base time of each feedback relative to the previous one, the shorter way round the wrap.
            if (!haveBase) {
                offsetTicks = 0;
                haveBase = true;
            } else {
                long delta = (f.referenceTime() - lastReference) * 256L;
                if (Math.abs(delta - WRAP_TICKS) < Math.abs(delta)) delta -= WRAP_TICKS;
                if (Math.abs(delta + WRAP_TICKS) < Math.abs(delta)) delta += WRAP_TICKS;
                offsetTicks += delta;
            }
            lastReference = f.referenceTime();
            long base = (long) f.referenceTime() * 256;
            for (Status s : f.statuses()) {
                long ext = unwrapper.unwrap(s.sequence());
                if (s.received()) {
                    arrival.put(ext, offsetTicks + s.arrivalTicks() - base);
                } else if (!arrival.containsKey(ext)) {
                    reportedLost.merge(ext, 1, Integer::sum);
                }
            }
        }

        long finallyLost() { return reportedLost.keySet().stream().filter(k -> !arrival.containsKey(k)).count(); }
    }

    /**
     * Feeds {@code arrivals} to a writer the way the router does: after each packet, when {@code intervalNanos} have
     * passed since the last flush, up to four feedbacks; at the end everything left.
     */
    private static SenderView run(List<Arrival> arrivals, long intervalNanos) {
        TransportCcFeedback writer = new TransportCcFeedback();
        SenderView view = new SenderView();
        byte[] buf = new byte[1500];
        long last = arrivals.getFirst().nanos();
        for (Arrival a : arrivals) {
            writer.onPacket(a.sequence(), a.nanos());
            if (a.nanos() - last >= intervalNanos) {
                last = a.nanos();
                for (int i = 0; i < 4 && writer.hasPending(); i++) view.accept(buf, writer.write(buf, 0, 1, 2));
            }
        }
        while (writer.hasPending()) view.accept(buf, writer.write(buf, 0, 1, 2));
        return view;
    }

    private static long ticks(long nanos) { return Math.floorDiv(nanos, TransportCcFeedback.TICK_NANOS); }

    /** Every arrival is finally reported received, at its exact tick relative to the first one's reference time. */
    private static void assertExact(SenderView view, List<Arrival> arrivals) {
        SequenceUnwrapper u = new SequenceUnwrapper();
        // The sender's time line starts at the first feedback's reference time.
        long origin = (long) view.feedbacks.getFirst().referenceTime() * 256;
        long firstTicks = Long.MIN_VALUE;
        Map<Long, Long> truth = new HashMap<>();
        for (Arrival a : arrivals) {
            long ext = u.unwrap(a.sequence());
            truth.putIfAbsent(ext, ticks(a.nanos()));
        }
        // Align the unwrapped sender ticks with the truth through the first reported packet.
        long firstExt = view.arrival.keySet().stream().min(Long::compare).orElseThrow();
        firstTicks = truth.get(firstExt);
        long shift = Math.floorMod(firstTicks - origin, WRAP_TICKS) - view.arrival.get(firstExt);
        assertThat(shift).as("first packet's delta from the reference time").isZero();
        for (Map.Entry<Long, Long> e : truth.entrySet()) {
            assertThat(view.arrival).as("sequence %d reported received", e.getKey()).containsKey(e.getKey());
            long want = e.getValue() - firstTicks + (Math.floorMod(firstTicks - origin, WRAP_TICKS));
            assertThat(view.arrival.get(e.getKey())).as("sequence %d arrival tick", e.getKey()).isEqualTo(want);
        }
    }

    /** Paced packets: {@code n} from {@code firstSeq}, one every {@code spacingNanos} from {@code t0}. */
    private static List<Arrival> paced(int firstSeq, int n, long t0, long spacingNanos) {
        List<Arrival> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Arrival((firstSeq + i) & 0xFFFF, t0 + i * spacingNanos));
        return out;
    }

    @Test
    void sixtySecondsOfPacedPacketsAreReportedAtTheirExactTicksWithoutDrift() {
        // 1,130 µs apart: not a multiple of 250 µs, so a writer that rounded each delta would drift by ~0.1 ms a packet.
        List<Arrival> arrivals = paced(100, 53_000, 987_654_321L, 1_130 * US);
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.reportedLost).isEmpty();
        assertExact(view, arrivals);
        assertThat(view.feedbacks.size()).isBetween(1150, 1250);
    }

    @Test
    void feedbackCountsRunOnByOneAndWrapAt256() {
        SenderView view = run(paced(0, 6_000, 5 * MS, 1 * MS), 10 * MS);
        assertThat(view.feedbacks.size()).isGreaterThan(300);
        for (int i = 1; i < view.feedbacks.size(); i++) {
            assertThat(view.feedbacks.get(i).feedbackCount())
                    .isEqualTo((view.feedbacks.get(i - 1).feedbackCount() + 1) & 0xFF);
        }
    }

    @Test
    void sequenceNumbersWrapWithoutALossOrAGap() {
        List<Arrival> arrivals = paced(65_000, 2_000, 1_000 * MS, 700 * US);
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.reportedLost).isEmpty();
        assertExact(view, arrivals);
        // Consecutive feedbacks continue where the previous one ended, across 65535 → 0.
        for (int i = 1; i < view.feedbacks.size(); i++) {
            Feedback p = view.feedbacks.get(i - 1);
            assertThat(view.feedbacks.get(i).baseSequence()).isEqualTo((p.baseSequence() + p.statusCount()) & 0xFFFF);
        }
    }

    @Test
    void aLossBurstIsReportedLostExactlyAndTheRestReceived() {
        List<Arrival> all = paced(40_000, 3_000, 77 * MS, 900 * US);
        List<Arrival> arrivals = new ArrayList<>(all);
        arrivals.subList(1_000, 1_040).clear(); // 40 in a row
        arrivals.subList(2_000, 2_003).clear(); // and 3 more later
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.finallyLost()).isEqualTo(43);
        assertThat(view.reportedLost.values()).containsOnly(1);
        assertExact(view, arrivals);
    }

    @Test
    void randomLossOfTwoPercentIsReportedAsTwoPercent() {
        SplittableRandom random = new SplittableRandom(16);
        List<Arrival> arrivals = new ArrayList<>();
        int sent = 20_000;
        for (Arrival a : paced(1, sent, 3 * MS, 400 * US)) if (random.nextDouble() >= 0.02) arrivals.add(a);
        // The sender cannot learn about packets after the last one that arrived.
        int last = arrivals.getLast().sequence();
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.finallyLost()).isEqualTo(last - arrivals.size());
        assertExact(view, arrivals);
    }

    @Test
    void packetsReorderedWithinAFeedbackIntervalAreReportedReceivedWithNegativeDeltas() {
        List<Arrival> arrivals = new ArrayList<>(paced(500, 400, 11 * MS, 1 * MS));
        // Swap neighbours every 10 packets: the later one arrives first, the other 1 ms later.
        for (int i = 5; i + 1 < arrivals.size(); i += 10) {
            Arrival a = arrivals.get(i);
            Arrival b = arrivals.get(i + 1);
            arrivals.set(i, new Arrival(b.sequence(), a.nanos()));
            arrivals.set(i + 1, new Arrival(a.sequence(), b.nanos()));
        }
        SenderView view = run(arrivals, 50 * MS);
        assertExact(view, arrivals);
        assertThat(view.finallyLost()).isZero();
    }

    @Test
    void aSilenceLongerThanTheLargestDeltaStartsAFeedbackWithANewReferenceTime() {
        List<Arrival> arrivals = new ArrayList<>(paced(10, 50, 200 * MS, 2 * MS));
        arrivals.addAll(paced(60, 50, 200 * MS + 9_000 * MS, 2 * MS)); // 9 s > 8,191.75 ms
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.reportedLost).isEmpty();
        assertExact(view, arrivals);
    }

    @Test
    void aBacklogIsSplitIntoFeedbacksUnder1200BytesThatReportEachPacketOnce() {
        // 5,000 packets in 0.5 s with mixed gaps (small and large deltas, losses), written only at the end.
        SplittableRandom random = new SplittableRandom(7);
        List<Arrival> arrivals = new ArrayList<>();
        long t = 400 * MS;
        for (int i = 0; i < 5_000; i++) {
            t += random.nextInt(4) == 0 ? random.nextLong(70 * MS, 90 * MS) / 100 : random.nextLong(0, 300 * US);
            if (random.nextInt(50) != 0 || i == 4_999) arrivals.add(new Arrival((60_000 + i) & 0xFFFF, t));
        }
        SenderView view = run(arrivals, 10_000 * MS);
        assertThat(view.feedbacks.size()).isGreaterThan(1);
        assertThat(view.reportedLost.values()).containsOnly(1);
        assertExact(view, arrivals);
        long statuses = view.feedbacks.stream().mapToLong(Feedback::statusCount).sum();
        assertThat(statuses).as("each sequence number in exactly one feedback").isEqualTo(5_000);
    }

    @Test
    void theReferenceTimeWrapsAfter2To24Times64MillisecondsWithoutAJumpInArrivalTimes() {
        long wrapNanos = (1L << 24) * 64 * MS;
        List<Arrival> arrivals = paced(9, 2_000, wrapNanos - 700 * MS, 1 * MS);
        SenderView view = run(arrivals, 50 * MS);
        assertThat(view.feedbacks.stream().map(Feedback::referenceTime)).contains(0xFFFFFF, 0);
        assertExact(view, arrivals);
    }
}
