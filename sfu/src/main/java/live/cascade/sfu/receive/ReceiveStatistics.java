package live.cascade.sfu.receive;

import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import live.cascade.sfu.rtp.Timestamps;

/**
 * Reception statistics of one incoming RTP stream (one SSRC), as RFC 3550 §6.4.1 and appendix A.3/A.8 define them,
 * and the report block that carries them back to the sender.
 *
 * <p>Jitter follows A.8 but, like deployed receivers, only samples packets that arrive in order with a new
 * timestamp: packets of one video frame share a timestamp but leave the sender spread out, and counting them would
 * report pacing as jitter.
 */
public final class ReceiveStatistics {
    private final int clockRate;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private long baseSequence;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    /** Jitter × 16 (A.8's fixed-point form) in clock-rate units. */
    private long jitterQ4;
    private int lastTransit;
    private long lastTimestamp;
    private boolean haveTransit;
    private long highestTimestamp;
    private long lastArrivalNanos;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    public ReceiveStatistics(int clockRate) {
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate " + clockRate);
        this.clockRate = clockRate;
    }

    /** Forgets everything: the stream starts over (new SSRC or new publisher). */
    public void reset() {
        unwrapper.reset();
        baseSequence = received = expectedPrior = receivedPrior = jitterQ4 = 0;
        lastTransit = 0;
        lastTimestamp = highestTimestamp = lastArrivalNanos = 0;
        haveTransit = haveSr = false;
        lastSrMiddle = lastSrArrivalNanos = 0;
    }

    /** Accounts one received packet. {@code arrivalNanos} is a monotonic time. */
    public void onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        onPacket(sequenceNumber, rtpTimestamp, arrivalNanos, false);
    }

    /**
     * As {@link #onPacket(int, long, long)}; a {@code retransmitted} packet (recovered through RTX) counts as
     * received but says nothing about the path's jitter, so it does not feed the jitter estimate.
     */
    public void onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos, boolean retransmitted) {
        boolean first = !unwrapper.started();
        long before = unwrapper.highest();
        long ext = unwrapper.unwrap(sequenceNumber);
        if (first) baseSequence = ext;
        received++;
        lastArrivalNanos = arrivalNanos;
        boolean inOrder = first || ext > before;
        if (!inOrder) return;
        highestTimestamp = rtpTimestamp;
        if (retransmitted) return;
        if (haveTransit && rtpTimestamp == lastTimestamp) return;
        int transit = (int) (Timestamps.fromNanos(arrivalNanos, clockRate) - rtpTimestamp);
        if (haveTransit) {
            long d = Math.abs((long) transit - lastTransit);
            // A jump of several seconds is a discontinuity (sender restart), not jitter.
            if (d < 5L * clockRate) jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        lastTimestamp = rtpTimestamp;
        haveTransit = true;
    }

    /** Remembers a sender report from this stream's sender, for LSR/DLSR. */
    public void onSenderReport(long ntp, long arrivalNanos) {
        lastSrMiddle = NtpTime.middle32(ntp);
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    public boolean hasPackets() { return received > 0; }

    public long packetsReceived() { return received; }

    /** Extended highest sequence number received (the 64-bit count; reports carry its low 32 bits). */
    public long extendedHighestSequence() { return unwrapper.highest(); }

    public long expected() { return received == 0 ? 0 : unwrapper.highest() - baseSequence + 1; }

    /** Packets expected but not received; negative with duplicates (RFC 3550 allows that). */
    public long cumulativeLost() { return expected() - received; }

    /** Interarrival jitter in clock-rate units. */
    public long jitter() { return jitterQ4 >> 4; }

    /** Timestamp of the newest (highest sequence) packet. */
    public long highestTimestamp() { return highestTimestamp; }

    public long lastArrivalNanos() { return lastArrivalNanos; }

    public int clockRate() { return clockRate; }

    /**
     * Writes this stream's report block for {@code ssrc} and starts a new reporting interval (the fraction lost is
     * per interval). Returns 24.
     */
    public int writeReportBlock(byte[] buf, int off, long ssrc, long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        long lsr = haveSr ? lastSrMiddle : 0;
        long dlsr = haveSr ? NtpTime.nanosToCompact(nowNanos - lastSrArrivalNanos) : 0;
        return RtcpWriter.writeReportBlock(buf, off, ssrc, fraction, cumulativeLost(),
                unwrapper.highest() & 0xFFFF_FFFFL, jitter() & 0xFFFF_FFFFL, lsr, dlsr);
    }
}
