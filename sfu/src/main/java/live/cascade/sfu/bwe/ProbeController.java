package live.cascade.sfu.bwe;

/**
 * Probing for headroom before the estimate rises: a short cluster sent at a target rate above the estimate (media
 * plus padding, all of it marked with the cluster's id), measured from the viewer's feedback. The measured rate is
 * the lower of the cluster's send rate and its receive rate (each over the cluster's span, less the packet that
 * closes the span), or 95 % of the receive rate when the link visibly could not keep up (receive below 90 % of send).
 *
 * <p>When: the first probe once feedback flows, at twice the estimate, later ones at {@value #STEP} × it; after a probe that
 * got ≥ 90 % of its target, or more than {@value #GAIN} × the estimate it set out from, the next follows at once
 * (exponential probing); after one whose feedback could not be measured, {@value #UNMEASURED_RETRY_NANOS} ns later;
 * otherwise every {@value #RETRY_NANOS} ns while the estimate is below the rate the viewer's stream wants. Never above that wanted rate.
 */
final class ProbeController {
    static final long CLUSTER_NANOS = 40_000_000L;
    static final int MIN_PACKETS = 6;
    static final long RETRY_NANOS = 3_000_000_000L;
    private static final long FOLLOW_UP_NANOS = 100_000_000L;
    static final long UNMEASURED_RETRY_NANOS = 1_000_000_000L;
    /** A cluster whose feedback has not closed it by then is abandoned (lost feedback, lost packets). */
    private static final long RESULT_TIMEOUT_NANOS = 1_500_000_000L;

    /** Each probe after the first aims this much above the estimate: small enough that a failed one builds little queue. */
    static final double STEP = 1.3;
    /** A result this far above the estimate the probe set out from counts as a step found, whatever its target. */
    static final double GAIN = 1.05;
    private boolean firstDone;
    private int nextId;
    private int activeId = -1;
    private long target;
    /** The estimate the cluster in flight set out from. */
    private long startEstimate;
    private long startNanos;
    private long sentBytes;
    private int sentPackets;
    private long lastSeq = -1;
    private boolean sending;
    private long nextProbeNanos = Long.MIN_VALUE;
    private long probesSent;

    // Measurement of the cluster in flight.
    private long firstSend, lastSend, firstArrival, lastArrival;
    private int firstArrivalSize, lastSendSize;
    private long bytes;
    private int received;

    /** Starts a cluster when one is due; returns its id or -1. */
    int maybeStart(long estimate, long wanted, long nowNanos) {
        if (sending || activeId >= 0 && nowNanos - startNanos < RESULT_TIMEOUT_NANOS) return -1;
        if (estimate <= 0 || estimate >= wanted) return -1;
        if (nextProbeNanos != Long.MIN_VALUE && nowNanos < nextProbeNanos) return -1;
        long rate = Math.min((long) ((firstDone ? STEP : 2.0) * estimate), wanted);
        if (rate < estimate * 1.1) return -1;
        startEstimate = estimate;
        return start(rate, nowNanos);
    }

    private int start(long rate, long nowNanos) {
        activeId = nextId++ & 0x7FFF_FFFF;
        target = rate;
        startNanos = nowNanos;
        sentBytes = 0;
        sentPackets = 0;
        sending = true;
        lastSeq = -1;
        bytes = 0;
        received = 0;
        probesSent++;
        nextProbeNanos = nowNanos + RETRY_NANOS;
        return activeId;
    }

    /** The cluster packets sent now belong to, or -1. */
    int sendingCluster() { return sending ? activeId : -1; }

    /** Counts a packet sent into the cluster; ends the sending part once long and large enough. */
    void onSent(long extSeq, int size, long nowNanos) {
        if (!sending) return;
        sentBytes += size;
        sentPackets++;
        lastSeq = extSeq;
        if (nowNanos - startNanos >= CLUSTER_NANOS && sentPackets >= MIN_PACKETS) sending = false;
    }

    /** Padding bytes the cluster should send by now to hold its target rate (0 when none is sending). */
    long paddingDue(long nowNanos) {
        if (!sending) return 0;
        long elapsed = Math.max(0, nowNanos - startNanos) + 1_000_000L;
        long due = target * elapsed / 8 / 1_000_000_000L - sentBytes;
        if (due <= 0 && sentPackets < MIN_PACKETS && nowNanos - startNanos >= CLUSTER_NANOS) return 1;
        return Math.max(0, due);
    }

    void onReceived(int cluster, long send, long arrival, int size) {
        if (cluster != activeId || activeId < 0) return;
        if (received == 0 || send < firstSend) firstSend = send;
        if (received == 0 || send >= lastSend) {
            lastSend = send;
            lastSendSize = size;
        }
        if (received == 0 || arrival < firstArrival) {
            firstArrival = arrival;
            firstArrivalSize = size;
        }
        if (received == 0 || arrival > lastArrival) lastArrival = arrival;
        bytes += size;
        received++;
    }

    /**
     * After a feedback whose newest packet is {@code highestReported}: the cluster's measured rate when the feedback
     * covered it, else -1.
     */
    long result(long highestReported, long nowNanos) {
        if (activeId < 0 || sending || lastSeq < 0 || highestReported < lastSeq) {
            if (activeId >= 0 && !sending && nowNanos - startNanos > RESULT_TIMEOUT_NANOS) activeId = -1;
            return -1;
        }
        long measured = -1;
        if (received >= MIN_PACKETS / 2 + 1) {
            long sendSpan = lastSend - firstSend;
            long receiveSpan = lastArrival - firstArrival;
            if (sendSpan > 0 && receiveSpan > 0) {
                double sendRate = (bytes - lastSendSize) * 8e9 / sendSpan;
                double receiveRate = (bytes - firstArrivalSize) * 8e9 / receiveSpan;
                if (receiveRate <= 2 * sendRate) {
                    measured = receiveRate < 0.9 * sendRate ? (long) (0.95 * receiveRate)
                            : (long) Math.min(sendRate, receiveRate);
                }
            }
        }
        // A cluster that fell short of its target but still found clearly more than the estimate it set out from has
        // found headroom as well: the climb goes on from there (a 40 ms cluster on a busy path reads a little low,
        // and waiting out the retry after each such reading made a viewer's way up a layer seconds longer).
        if (measured >= 0.9 * target || measured > GAIN * startEstimate) nextProbeNanos = nowNanos + FOLLOW_UP_NANOS;
        // Too few packets reported, or arrivals bunched tighter than the sends (a busy receiver stamps in batches):
        // that says nothing about the path, so try again soon rather than after a failed probe's wait.
        else if (measured < 0) nextProbeNanos = Math.min(nextProbeNanos, nowNanos + UNMEASURED_RETRY_NANOS);
        firstDone = true;
        activeId = -1;
        return measured;
    }

    long probesSent() { return probesSent; }
}
