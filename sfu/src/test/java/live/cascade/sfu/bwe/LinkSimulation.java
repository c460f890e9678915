package live.cascade.sfu.bwe;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;

/**
 * A simulated path whose capacity is known, driving a {@link ViewerBandwidthEstimator} the way the node does: a
 * sender makes 30 frames a second of min(source rate, estimate) and paces them at 2.5 × the estimate (plus probe
 * padding when the estimator asks), each packet numbered by a transport-wide sequence; a bottleneck queue of capacity
 * C (drop-tail at {@link #maxQueueNanos}), a propagation delay, optional random loss and reordering; a receiver that
 * records arrivals in the real {@link TransportCcFeedback} and sends its feedback bytes back every 50–100 ms; the
 * sender parses them with {@link RtcpTransportCc}. Simulated clock in 1 ms steps, seeded randomness: deterministic.
 */
final class LinkSimulation {
    static final long MS = 1_000_000L;
    private static final int MEDIA_PACKET = 1200;
    private static final int PADDING_PACKET = 250;

    private record Arrival(long at, int seq) {}
    private record Feedback(long at, byte[] bytes, int length) {}

    final ViewerBandwidthEstimator estimator;
    private final SplittableRandom random;
    private final long sourceRate;
    long propagationNanos = 25 * MS;
    long maxQueueNanos = 250 * MS;
    /** Capacity in bit/s as a function of time (changed by the scenario). */
    long capacity;
    double lossProbability;
    double reorderProbability;
    long reorderMaxNanos = 20 * MS;
    /**
     * A token bucket in front of the bottleneck (as Linux's {@code tbf} shapes): this many bytes pass at once after
     * an idle spell, the rest at {@link #capacity}. 0: a plain queue.
     */
    long burstBytes;
    private double tokens;
    private long tokensAt;

    private final PriorityQueue<Arrival> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final List<Feedback> feedbackInFlight = new ArrayList<>();
    private final TransportCcFeedback receiver = new TransportCcFeedback();
    private final RtcpTransportCc parser = new RtcpTransportCc();

    private long now;
    private int seq = 0xFFF0; // wraps early on purpose
    private long linkFreeAt;
    private long pacerQueueBytes;
    private double pacerBudget;
    private long nextFrameAt;
    private long nextFeedbackAt = 60 * MS;
    private double paddingCredit;
    long packetsSent, packetsDropped, bytesDelivered;
    /** The longest a packet waited at the bottleneck so far. */
    long peakQueueNanos;

    LinkSimulation(long capacity, long sourceRate, long seed) {
        this.capacity = capacity;
        this.sourceRate = sourceRate;
        this.random = new SplittableRandom(seed);
        this.estimator = new ViewerBandwidthEstimator(1_000_000, 50_000, 20_000_000);
        this.estimator.setWantedBitrate(sourceRate);
    }

    long now() { return now; }

    /** The estimate, or the initial rate before feedback. */
    long estimate() {
        long e = estimator.bitsPerSecond();
        return e < 0 ? 1_000_000 : e;
    }

    /** Runs until {@code untilNanos}, sampling the estimate every 100 ms into {@code trace}. */
    void runUntil(long untilNanos, List<long[]> trace) {
        while (now < untilNanos) {
            step();
            if (trace != null && now % (100 * MS) == 0) trace.add(new long[] {now, estimate(), capacity});
            now += MS;
        }
    }

    private void step() {
        long rate = estimate();
        // The encoder: a frame every 33 ms of min(source, estimate).
        if (now >= nextFrameAt) {
            pacerQueueBytes += Math.min(sourceRate, rate) / 8 / 30;
            nextFrameAt += 33_333_333L;
        }
        // The pacer: 2.5 × the estimate.
        pacerBudget = Math.min(pacerBudget + 2.5 * rate / 8 / 1000, 2 * MEDIA_PACKET);
        while (pacerQueueBytes > 0 && pacerBudget > 0) {
            int size = (int) Math.min(MEDIA_PACKET, Math.max(200, pacerQueueBytes));
            pacerQueueBytes -= size;
            pacerBudget -= size;
            send(size);
        }
        if (pacerQueueBytes == 0) pacerBudget = Math.min(pacerBudget, MEDIA_PACKET);
        // Probing: padding to bring the cluster up to its rate.
        estimator.maybeStartProbe(now);
        long due = estimator.probePaddingDue(now);
        while (due > 0) {
            send(PADDING_PACKET);
            due = estimator.probePaddingDue(now);
        }
        deliver();
        returnFeedback();
    }

    private void send(int size) {
        int s = seq;
        seq = (seq + 1) & 0xFFFF;
        packetsSent++;
        estimator.onPacketSent(s, size, now);
        if (random.nextDouble() < lossProbability) {
            packetsDropped++;
            return;
        }
        long start = Math.max(now, linkFreeAt);
        if (start - now > maxQueueNanos) {
            packetsDropped++;
            return;
        }
        if (burstBytes > 0) {
            // The bucket fills at the capacity while the queue is idle; a packet leaves as soon as it holds enough.
            tokens = Math.min(burstBytes, tokens + (start - tokensAt) * (capacity / 8e9));
            double wait = tokens >= size ? 0 : (size - tokens) / (capacity / 8e9);
            tokens = Math.max(0, tokens - size);
            linkFreeAt = start + (long) wait;
            tokensAt = linkFreeAt;
        } else {
            linkFreeAt = start + size * 8L * 1_000_000_000L / capacity;
        }
        peakQueueNanos = Math.max(peakQueueNanos, linkFreeAt - now);
        long at = linkFreeAt + propagationNanos;
        if (random.nextDouble() < reorderProbability) at += 1 + random.nextLong(reorderMaxNanos);
        bytesDelivered += size;
        inFlight.add(new Arrival(at, s));
    }

    private void deliver() {
        while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
            Arrival a = inFlight.poll();
            receiver.onPacket(a.seq, a.at);
        }
        if (now >= nextFeedbackAt) {
            while (receiver.hasPending()) {
                byte[] buf = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES];
                int n = receiver.write(buf, 0, 1, 2);
                if (n == 0) break;
                feedbackInFlight.add(new Feedback(now + propagationNanos, buf, n));
            }
            nextFeedbackAt = now + 50 * MS + random.nextLong(50 * MS);
        }
    }

    private void returnFeedback() {
        for (int i = 0; i < feedbackInFlight.size(); i++) {
            Feedback f = feedbackInFlight.get(i);
            if (f.at > now) continue;
            feedbackInFlight.remove(i--);
            if (parser.parse(f.bytes, 0, f.length) != RtcpStatus.OK) throw new AssertionError("feedback did not parse");
            RtcpStatus s = estimator.onTransportCc(parser, now);
            if (s != RtcpStatus.OK) throw new AssertionError("feedback did not decode: " + s);
            estimator.setRoundTrip(2 * propagationNanos + Math.max(0, linkFreeAt - now));
        }
    }
}
