package live.cascade.sfu.bwe;

import java.util.Arrays;
import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * What we sent on one transport, by transport-wide sequence number: send time, size and probe cluster, in a ring of
 * primitive arrays indexed by the number's low bits, so recording a send allocates nothing. Each slot also keeps the
 * extended number it belongs to, so a lookup for a number the ring has already overwritten answers "unknown" instead
 * of a wrong time. Single owner (the worker thread), no locks.
 *
 * <p>The ring starts at {@value #INITIAL_CAPACITY} slots and doubles (up to {@value #MAX_CAPACITY}) only when a send
 * would overwrite a packet not yet reported that left less than {@value #KEEP_NANOS} ns ago, once feedback has reported
 * any packet: feedback for it may still come. (A viewer that never sends feedback has nothing to keep packets for.)
 * {@value #INITIAL_CAPACITY} slots hold 2.5 s of a 1.5 Mbit/s stream with its audio, and most viewers never need
 * more; a ring sized for the highest rate from the start (8,192 slots, 200 KB) was the largest thing a viewer kept.
 */
public final class SendHistory {
    static final int INITIAL_CAPACITY = 1 << 9;
    /** At most this many packets: at 4,000 packets a second (about 45 Mbit/s), 2 s. */
    static final int MAX_CAPACITY = 1 << 13;
    /** A packet not yet reported is kept at least this long, ring size allowing; feedback takes far less. */
    static final long KEEP_NANOS = 2_000_000_000L;

    private long[] sequence = new long[INITIAL_CAPACITY];
    private long[] sendNanos = new long[INITIAL_CAPACITY];
    private int[] size = new int[INITIAL_CAPACITY];
    private int[] cluster = new int[INITIAL_CAPACITY];
    private boolean[] acked = new boolean[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;

    private boolean started;
    private boolean reportedAny;
    private long highest;

    public SendHistory() { Arrays.fill(sequence, -1); }

    /**
     * Records that the packet numbered {@code seq} (16 bits) left at {@code nowNanos} with {@code bytes} on the
     * wire; {@code probeCluster} is its probe cluster id, or -1.
     */
    public void onSent(int seq, int bytes, int probeCluster, long nowNanos) {
        long ext = extend(seq);
        if (!started || ext > highest) highest = ext;
        started = true;
        int slot = (int) (ext & mask);
        if (reportedAny && sequence[slot] >= 0 && sequence[slot] != ext && !acked[slot]
                && nowNanos - sendNanos[slot] < KEEP_NANOS && mask + 1 < MAX_CAPACITY) {
            grow();
            slot = (int) (ext & mask);
        }
        sequence[slot] = ext;
        sendNanos[slot] = nowNanos;
        size[slot] = bytes;
        cluster[slot] = probeCluster;
        acked[slot] = false;
    }

    /** Doubles the ring; every packet keeps its place by its extended number. Allocates, at most four times. */
    private void grow() {
        int capacity = (mask + 1) * 2;
        long[] seqs = new long[capacity];
        long[] sends = new long[capacity];
        int[] sizes = new int[capacity];
        int[] clusters = new int[capacity];
        boolean[] reported = new boolean[capacity];
        Arrays.fill(seqs, -1);
        for (int old = 0; old <= mask; old++) {
            if (sequence[old] < 0) continue;
            int slot = (int) (sequence[old] & (capacity - 1));
            seqs[slot] = sequence[old];
            sends[slot] = sendNanos[old];
            sizes[slot] = size[old];
            clusters[slot] = cluster[old];
            reported[slot] = acked[old];
        }
        sequence = seqs;
        sendNanos = sends;
        size = sizes;
        cluster = clusters;
        acked = reported;
        mask = capacity - 1;
    }

    /** The extended number of 16-bit {@code seq}, taken as the one nearest the newest packet sent. */
    public long extend(int seq) {
        if (!started) return seq & SequenceNumbers.MASK;
        return highest + SequenceNumbers.diff(seq, (int) (highest & SequenceNumbers.MASK));
    }

    /** The slot of extended number {@code ext}, or -1 when it was never sent or is no longer remembered. */
    public int slotOf(long ext) {
        if (ext < 0) return -1;
        int slot = (int) (ext & mask);
        return sequence[slot] == ext ? slot : -1;
    }

    public long sendNanos(int slot) { return sendNanos[slot]; }

    public int size(int slot) { return size[slot]; }

    public int cluster(int slot) { return cluster[slot]; }

    /** Marks the slot reported (received or lost) and says whether it was reported before. */
    public boolean markReported(int slot) {
        boolean was = acked[slot];
        acked[slot] = true;
        reportedAny = true;
        return was;
    }

    public boolean hasSent() { return started; }

    /** Extended number of the newest packet sent. */
    public long highest() { return highest; }

    /** Slots the ring has now. */
    int capacity() { return mask + 1; }
}
