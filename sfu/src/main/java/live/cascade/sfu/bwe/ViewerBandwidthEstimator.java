package live.cascade.sfu.bwe;

import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;

/**
 * The send-side bandwidth estimate toward one viewer transport. Feed it every packet sent with its transport-wide
 * sequence number ({@link #onPacketSent}), the viewer's transport-cc feedback ({@link #onTransportCc}), REMB
 * ({@link #onRemb}) and round trips; read {@link #bitsPerSecond()}.
 *
 * <p>Per feedback: the reported packets are matched to their send times, sorted by arrival, grouped
 * ({@link InterArrival}) and run through the trendline ({@link Trendline}) and the adaptive-threshold detector
 * ({@link OveruseDetector}), whose verdict drives the AIMD rate ({@link AimdRateControl}) together with the
 * acknowledged bitrate ({@link AckedBitrate}). Losses feed the loss cap ({@link LossBasedControl}); probe clusters
 * ({@link ProbeController}) raise both when they find headroom. The estimate is the lower of delay-based rate and
 * loss cap. Without transport-cc from the viewer the estimate is its REMB.
 *
 * <p>One per viewer transport, worker thread only, allocation-free after construction (the scratch a feedback is read
 * into is the thread's, {@link ReportedPackets}, made at its first feedback).
 */
public final class ViewerBandwidthEstimator {
    private static final long REFERENCE_NANOS = 64_000_000L;
    private static final long DELTA_NANOS = 250_000L;
    /**
     * Every packet of a feedback queued this long while padding holds a move-up's rate: the path does not carry it.
     * Deeper than a busy receiver's batched arrival stamps, shallow next to the 300 ms a home router buffers.
     */
    static final long HOLD_QUEUE_LIMIT_NANOS = 25_000_000L;
    private static final int HOLD_QUEUE_MIN_PACKETS = 4;

    private final SendHistory history = new SendHistory();
    private final InterArrival interArrival = new InterArrival();
    private final Trendline trendline = new Trendline();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl aimd;
    private final LossBasedControl loss = new LossBasedControl();
    private final AckedBitrate acked = new AckedBitrate();
    private final ProbeController probes = new ProbeController();
    private final SustainedPadding sustained = new SustainedPadding();
    private final QueueDelay queue = new QueueDelay();

    private final long minBitrate;
    private long wanted;
    private boolean transportCcSeen;
    private long remb = -1;
    private long estimate;
    private long feedbacks;
    private long probeResults;
    private long lastProbeResult = -1;
    private long holdsRefused;

    /**
     * @param initialBitrate where the delay-based rate starts before any feedback
     * @param minBitrate     floor of the estimate
     * @param maxBitrate     ceiling of the estimate, and the rate probes stop at until {@link #setWantedBitrate}
     */
    public ViewerBandwidthEstimator(long initialBitrate, long minBitrate, long maxBitrate) {
        if (minBitrate <= 0 || maxBitrate < minBitrate || initialBitrate < minBitrate || initialBitrate > maxBitrate) {
            throw new IllegalArgumentException("bitrates " + minBitrate + " <= " + initialBitrate + " <= " + maxBitrate);
        }
        this.aimd = new AimdRateControl(initialBitrate, minBitrate, maxBitrate);
        this.minBitrate = minBitrate;
        this.wanted = maxBitrate;
        this.estimate = initialBitrate;
    }

    /**
     * The estimate in bit/s: the transport-cc estimate once the viewer sent transport-cc feedback, else its last
     * REMB, else -1 (unknown).
     */
    public long bitsPerSecond() {
        if (transportCcSeen) return estimate;
        return remb;
    }

    /** The most the viewer's stream could use (e.g. the top layer plus audio); probes never aim above it. */
    public void setWantedBitrate(long bps) { this.wanted = Math.max(minBitrate, bps); }

    public void setRoundTrip(long nanos) {
        aimd.setRoundTrip(nanos);
        loss.setRoundTrip(nanos);
    }

    public void onRemb(long bps) { if (bps >= 0) remb = bps; }

    /** Records a packet leaving now with transport-wide number {@code seq}; {@code bytes} as on the wire. */
    public void onPacketSent(int seq, int bytes, long nowNanos) {
        int cluster = probes.sendingCluster();
        history.onSent(seq, bytes, cluster, nowNanos);
        if (cluster >= 0) probes.onSent(history.highest(), bytes, nowNanos);
        sustained.onSent(bytes);
    }

    /**
     * Holds the send rate at {@code bps} with padding until called with -1: a move up a simulcast layer is tried on
     * the path for its whole hold before it is made (see {@link SustainedPadding}).
     */
    public void sustainRate(long bps, long nowNanos) { sustained.target(bps, nowNanos); }

    /** The rate {@link #sustainRate} holds, -1 when none. */
    public long sustainedRate() { return sustained.target(); }

    /**
     * Starts a probe cluster when one is due (only once transport-cc feedback flows). The sender then asks
     * {@link #probePaddingDue} and sends that much padding; media sent meanwhile counts toward the cluster too.
     */
    public boolean maybeStartProbe(long nowNanos) {
        if (!transportCcSeen) return false;
        return probes.maybeStart(estimate, wanted, nowNanos) >= 0;
    }

    /**
     * Padding bytes due now: what the probe cluster in progress wants sent by now, or what holds the
     * {@link #sustainRate sustained rate}, whichever is more; 0 when neither applies.
     */
    public long probePaddingDue(long nowNanos) { return Math.max(probes.paddingDue(nowNanos), sustained.due(nowNanos)); }

    public boolean probing() { return probes.sendingCluster() >= 0; }

    /** Whether padding may be due: a probe cluster in progress or a sustained rate set. */
    public boolean padding() { return probing() || sustained.target() > 0; }

    /** Reads one transport-cc feedback (already {@link RtcpTransportCc#parse parsed}); malformed ones change nothing. */
    public RtcpStatus onTransportCc(RtcpTransportCc fb, long nowNanos) {
        ReportedPackets r = ReportedPackets.onThisThread();
        RtcpStatus s = fb.decode(r.statuses, r.deltas);
        if (s != RtcpStatus.OK) return s;
        if (!history.hasSent()) return RtcpStatus.OK;
        transportCcSeen = true;
        feedbacks++;
        int count = Math.min(fb.packetStatusCount(), ReportedPackets.MAX_REPORTED);
        long base = history.extend(fb.baseSequenceNumber());
        long arrival = fb.referenceTime() * REFERENCE_NANOS;
        int n = 0;
        int lost = 0;
        long highestReported = -1;
        for (int i = 0; i < count; i++) {
            int status = r.statuses[i];
            if (status != RtcpTransportCc.NOT_RECEIVED) arrival += r.deltas[i] * DELTA_NANOS;
            int slot = history.slotOf(base + i);
            if (slot < 0 || history.markReported(slot)) continue;
            highestReported = base + i;
            if (status == RtcpTransportCc.NOT_RECEIVED) {
                lost++;
                continue;
            }
            r.insertByArrival(n++, history.sendNanos(slot), arrival, history.size(slot), history.cluster(slot));
        }
        boolean overuse = false;
        long leastOneWay = Long.MAX_VALUE;
        long feedbackBytes = 0;
        for (int i = 0; i < n; i++) {
            queue.add(r.send[i], r.arrival[i]);
            leastOneWay = Math.min(leastOneWay, r.arrival[i] - r.send[i]);
            feedbackBytes += r.size[i];
            acked.add(r.arrival[i], r.size[i]);
            if (r.cluster[i] >= 0) probes.onReceived(r.cluster[i], r.send[i], r.arrival[i], r.size[i]);
            if (interArrival.add(r.send[i], r.arrival[i], r.size[i])) {
                double variationMs = (interArrival.arrivalDelta - interArrival.sendDelta) / 1e6;
                double slope = trendline.update(variationMs, interArrival.arrivalTime);
                BandwidthUsage u = detector.detect(slope, trendline.deltas(), interArrival.sendDelta / 1e6, nowNanos);
                // Overuse seen on packets sent before the last decrease only shows the queue that decrease answered.
                if (detector.triggered() && r.send[i] > aimd.lastDecreaseNanos()) overuse = true;
            }
        }
        long ackedRate = acked.bitsPerSecond();
        // Fresh overuse decreases; overuse that is already being answered (trend above the threshold but falling)
        // holds, as underuse does, until the queue has drained.
        BandwidthUsage usage = overuse ? BandwidthUsage.OVERUSING
                : detector.state() == BandwidthUsage.OVERUSING ? BandwidthUsage.UNDERUSING : detector.state();
        if (n > 0 || lost > 0) aimd.update(usage, ackedRate, nowNanos);
        boolean refused = n >= HOLD_QUEUE_MIN_PACKETS && refuseHold(queue.queueing(leastOneWay), feedbackBytes - r.size[0],
                r.arrival[n - 1] - r.arrival[0], nowNanos);
        long probe = probes.result(highestReported, nowNanos);
        if (probe > 0) {
            probeResults++;
            lastProbeResult = probe;
            if (usage != BandwidthUsage.OVERUSING && !refused) {
                aimd.onProbe(probe, nowNanos);
                loss.onProbe(probe);
            }
        }
        loss.onFeedback(n, lost, estimate, aimd.bitrate(), nowNanos);
        estimate = Math.max(minBitrate, Math.min(aimd.bitrate(), loss.cap()));
        return RtcpStatus.OK;
    }

    /**
     * The padding that holds a move-up's rate built a queue (every packet of this feedback waited longer than
     * {@link #HOLD_QUEUE_LIMIT_NANOS}): the path does not carry that rate, and the rate these packets arrived at, back
     * to back behind the queue, is what it does carry. The padding stops and the estimate drops below it at once, so
     * the layer choice calls the move off while the queue is tens of milliseconds deep; the delay-based detector alone
     * answered only once it was hundreds (a token-bucket shaper passes the probes that started the move at line rate).
     */
    private boolean refuseHold(long queuedNanos, long bytesAfterFirst, long arrivalSpan, long nowNanos) {
        if (sustained.target() <= 0 || queuedNanos <= HOLD_QUEUE_LIMIT_NANOS || arrivalSpan < 5_000_000L) return false;
        aimd.onQueueBuilt(bytesAfterFirst * 8_000_000_000L / arrivalSpan, nowNanos);
        sustained.target(-1, nowNanos);
        holdsRefused++;
        return true;
    }


    /** The delay-based part alone (for stats and tests of the parts). */
    public long delayBasedBitsPerSecond() { return aimd.bitrate(); }

    /** The acknowledged bitrate, -1 before a window's worth of feedback. */
    public long ackedBitsPerSecond() { return acked.bitsPerSecond(); }

    public BandwidthUsage usage() { return detector.state(); }

    public double lastLossFraction() { return loss.lastLoss(); }

    public long feedbacks() { return feedbacks; }

    /** Whether the path has shown congestion: a delay-based decrease or a loss cap. Then the estimate is no guess. */
    public boolean congestionSeen() { return aimd.lastDecreaseNanos() != Long.MIN_VALUE || loss.cap() != Long.MAX_VALUE; }

    public long probesSent() { return probes.probesSent(); }

    /** Move-up holds whose padding built a queue and was stopped ({@link #HOLD_QUEUE_LIMIT_NANOS}). */
    public long holdsRefused() { return holdsRefused; }

    public long probeResults() { return probeResults; }

    /** The last probe cluster's measured rate, -1 before any. */
    public long lastProbeResult() { return lastProbeResult; }

    public boolean usesTransportCc() { return transportCcSeen; }
}
