package live.cascade.sfu.bwe;

import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * What we sent on one transport, by transport-wide sequence number: send time, size and probe cluster, in a ring of
 * primitive arrays indexed by the number's low bits, so recording a send allocates nothing. Each slot also keeps the
 * extended number it belongs to, so a lookup for a number the ring has already overwritten (feedback older than
 * {@link #CAPACITY} packets) answers "unknown" instead of a wrong time. Single owner (the worker thread), no locks.
 */
public final class SendHistory {
    /** Packets remembered; at 2,000 packets/s that is 4 s, far longer than any feedback takes. */
    public static final int CAPACITY = 1 << 13;
    private static final int MASK = CAPACITY - 1;

    private final long[] sequence = new long[CAPACITY];
    private final long[] sendNanos = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private final int[] cluster = new int[CAPACITY];
    private final boolean[] acked = new boolean[CAPACITY];

    private boolean started;
    private long highest;

    public SendHistory() { java.util.Arrays.fill(sequence, -1); }

    /**
     * Records that the packet numbered {@code seq} (16 bits) left at {@code nowNanos} with {@code bytes} on the
     * wire; {@code probeCluster} is its probe cluster id, or -1.
     */
    public void onSent(int seq, int bytes, int probeCluster, long nowNanos) {
        long ext = extend(seq);
        if (!started || ext > highest) highest = ext;
        started = true;
        int slot = (int) (ext & MASK);
        sequence[slot] = ext;
        sendNanos[slot] = nowNanos;
        size[slot] = bytes;
        cluster[slot] = probeCluster;
        acked[slot] = false;
    }

    /** The extended number of 16-bit {@code seq}, taken as the one nearest the newest packet sent. */
    public long extend(int seq) {
        if (!started) return seq & SequenceNumbers.MASK;
        return highest + SequenceNumbers.diff(seq, (int) (highest & SequenceNumbers.MASK));
    }

    /** The slot of extended number {@code ext}, or -1 when it was never sent or is no longer remembered. */
    public int slotOf(long ext) {
        int slot = (int) (ext & MASK);
        return sequence[slot] == ext ? slot : -1;
    }

    public long sendNanos(int slot) { return sendNanos[slot]; }

    public int size(int slot) { return size[slot]; }

    public int cluster(int slot) { return cluster[slot]; }

    /** Marks the slot reported (received or lost) and says whether it was reported before. */
    public boolean markReported(int slot) {
        boolean was = acked[slot];
        acked[slot] = true;
        return was;
    }

    public boolean hasSent() { return started; }

    /** Extended number of the newest packet sent. */
    public long highest() { return highest; }
}
