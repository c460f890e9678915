package live.cascade.sfu.bwe;

/**
 * Groups packets the way GoogCC's inter-arrival filter does, and yields the deltas between consecutive groups. A
 * group is the packets sent within {@link #GROUP_NANOS} of its first one (a frame, or a pacer burst); a packet that
 * arrives within {@link #BURST_NANOS} of the previous one and "earlier than its send time says" (a burst the network
 * compressed) joins the group too. Each completed group, compared with the one before it, gives a send delta, an
 * arrival delta and their difference, the one-way delay variation the trendline works on.
 */
final class InterArrival {
    static final long GROUP_NANOS = 5_000_000L;
    static final long BURST_NANOS = 5_000_000L;
    /** An arrival gap this long means the stream paused; the groups start over rather than read it as queueing. */
    private static final long RESET_GAP_NANOS = 3_000_000_000L;

    private boolean haveCurrent;
    private long currentFirstSend;
    private long currentLastSend;
    private long currentFirstArrival;
    private long currentLastArrival;
    private long currentSize;

    private boolean havePrevious;
    private long previousLastSend;
    private long previousLastArrival;
    private long previousSize;

    // The deltas of the last completed pair, valid after add() returned true.
    long sendDelta;
    long arrivalDelta;
    long sizeDelta;
    /** Arrival time of the newer group of the pair. */
    long arrivalTime;

    /** Adds one received packet (in arrival order); true when it completed a group and the deltas are fresh. */
    boolean add(long sendNanos, long arrivalNanos, int bytes) {
        if (!haveCurrent) {
            start(sendNanos, arrivalNanos, bytes);
            return false;
        }
        if (sendNanos < currentFirstSend) return false; // reordered from an earlier group: its group is gone
        if (belongsToCurrent(sendNanos, arrivalNanos)) {
            currentLastSend = Math.max(currentLastSend, sendNanos);
            currentLastArrival = Math.max(currentLastArrival, arrivalNanos);
            currentSize += bytes;
            return false;
        }
        boolean fresh = false;
        if (havePrevious) {
            sendDelta = currentLastSend - previousLastSend;
            arrivalDelta = currentLastArrival - previousLastArrival;
            sizeDelta = currentSize - previousSize;
            arrivalTime = currentLastArrival;
            if (arrivalDelta > RESET_GAP_NANOS || arrivalDelta < -RESET_GAP_NANOS) {
                havePrevious = false;
                start(sendNanos, arrivalNanos, bytes);
                return false;
            }
            fresh = arrivalDelta >= 0;
        }
        previousLastSend = currentLastSend;
        previousLastArrival = currentLastArrival;
        previousSize = currentSize;
        havePrevious = true;
        start(sendNanos, arrivalNanos, bytes);
        return fresh;
    }

    private boolean belongsToCurrent(long sendNanos, long arrivalNanos) {
        if (sendNanos - currentFirstSend <= GROUP_NANOS) return true;
        long arrivalGap = arrivalNanos - currentLastArrival;
        long propagation = arrivalGap - (sendNanos - currentLastSend);
        return arrivalGap >= 0 && arrivalGap <= BURST_NANOS && propagation < 0;
    }

    private void start(long sendNanos, long arrivalNanos, int bytes) {
        haveCurrent = true;
        currentFirstSend = currentLastSend = sendNanos;
        currentFirstArrival = currentLastArrival = arrivalNanos;
        currentSize = bytes;
    }

    void reset() { haveCurrent = havePrevious = false; }
}
