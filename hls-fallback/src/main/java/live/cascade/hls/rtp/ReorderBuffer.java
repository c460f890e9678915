package live.cascade.hls.rtp;

import live.cascade.sfu.rtp.SequenceUnwrapper;

/**
 * Puts one RTP stream back into sequence-number order. Packets wait in a window of slots indexed by extended sequence
 * number; a gap holds later packets back until the missing ones arrive (a retransmission, or simply reordering) or
 * until the oldest waiting packet has waited {@code maxDelayNanos}, when the gap is given up as lost. Duplicates and
 * packets older than what was already released are dropped. A jump of more than the window restarts the stream
 * (a new publisher, or a sender that reset its sequence numbers).
 *
 * <p>Copies what it keeps into preallocated slots; allocates nothing per packet.
 */
public final class ReorderBuffer {
    /** Where ordered packets go. */
    public interface Output {
        void onPacket(byte[] buf, int off, int len, long arrivalNanos);

        /** {@code count} packets before the next one will never come. */
        void onLoss(int count);

        /** The stream restarted: what follows is unrelated to what came before. */
        default void onRestart() {}
    }

    private final int capacity;
    private final byte[][] data;
    private final int[] lengths;
    private final long[] arrivals;
    private final boolean[] present;
    private final long maxDelayNanos;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private final Output output;
    private long next = -1;
    private int waiting;
    private long lost;
    private long late;

    public ReorderBuffer(int capacity, int packetSize, long maxDelayNanos, Output output) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        this.capacity = capacity;
        this.data = new byte[capacity][packetSize];
        this.lengths = new int[capacity];
        this.arrivals = new long[capacity];
        this.present = new boolean[capacity];
        this.maxDelayNanos = maxDelayNanos;
        this.output = output;
    }

    /** Adds a packet whose RTP sequence number is {@code sequenceNumber}. */
    public void add(int sequenceNumber, byte[] buf, int off, int len, long arrivalNanos) {
        long seq = unwrapper.unwrap(sequenceNumber);
        if (next < 0) next = seq;
        if (seq < next) {
            if (next - seq > capacity) {
                seq = restart(sequenceNumber);
            } else {
                late++;
                return;
            }
        } else if (seq - next >= capacity) {
            if (seq - next > 4L * capacity) {
                seq = restart(sequenceNumber);
            } else {
                // Far ahead but plausible (a burst of loss): give up on everything before the window.
                skipTo(seq - capacity + 1);
            }
        }
        int i = (int) (seq & (capacity - 1));
        if (present[i]) return; // duplicate
        if (data[i].length < len) data[i] = new byte[len];
        System.arraycopy(buf, off, data[i], 0, len);
        lengths[i] = len;
        arrivals[i] = arrivalNanos;
        present[i] = true;
        waiting++;
        release();
    }

    /** Gives up on gaps whose later packets have waited too long. Call often (every few milliseconds). */
    public void poll(long nowNanos) {
        while (waiting > 0 && !present[(int) (next & (capacity - 1))]) {
            long oldest = oldestWaitingArrival();
            if (nowNanos - oldest < maxDelayNanos) return;
            long firstPresent = next;
            while (!present[(int) (firstPresent & (capacity - 1))]) firstPresent++;
            skipTo(firstPresent);
            release();
        }
    }

    private long oldestWaitingArrival() {
        long oldest = Long.MAX_VALUE;
        for (long s = next, seen = 0; seen < waiting; s++) {
            int i = (int) (s & (capacity - 1));
            if (present[i]) {
                seen++;
                oldest = Math.min(oldest, arrivals[i]);
            }
        }
        return oldest;
    }

    private void release() {
        while (true) {
            int i = (int) (next & (capacity - 1));
            if (!present[i]) return;
            present[i] = false;
            waiting--;
            next++;
            output.onPacket(data[i], 0, lengths[i], arrivals[i]);
        }
    }

    /** Declares everything before {@code seq} lost (releasing what is present on the way, in order). */
    private void skipTo(long seq) {
        int missing = 0;
        while (next < seq) {
            int i = (int) (next & (capacity - 1));
            if (present[i]) {
                if (missing > 0) {
                    output.onLoss(missing);
                    lost += missing;
                    missing = 0;
                }
                present[i] = false;
                waiting--;
                output.onPacket(data[i], 0, lengths[i], arrivals[i]);
            } else {
                missing++;
            }
            next++;
        }
        if (missing > 0) {
            output.onLoss(missing);
            lost += missing;
        }
    }

    /** Drops what waits and starts over at {@code sequenceNumber}; returns its new extended value. */
    private long restart(int sequenceNumber) {
        java.util.Arrays.fill(present, false);
        waiting = 0;
        unwrapper.reset();
        next = unwrapper.unwrap(sequenceNumber);
        output.onRestart();
        return next;
    }

    /** Forgets everything (a new publisher): the next packet starts a new stream. */
    public void reset() {
        java.util.Arrays.fill(present, false);
        waiting = 0;
        next = -1;
        unwrapper.reset();
    }

    public long lost() { return lost; }

    public long late() { return late; }

    public int waiting() { return waiting; }
}
