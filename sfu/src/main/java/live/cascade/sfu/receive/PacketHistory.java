package live.cascade.sfu.receive;

import java.util.Arrays;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * The recent packets of one incoming stream, for answering NACKs, starting late joiners at the last keyframe and
 * recognising duplicates. A ring of fixed-size slots in one preallocated array, indexed by extended sequence number
 * ({@code ext & (capacity - 1)}): storing copies the packet, looking up is one index and one comparison, and a packet
 * is evicted when a packet {@code capacity} numbers newer takes its slot. Nothing is allocated after construction.
 *
 * <p>Sequence numbers are extended (64-bit) by the caller; {@link #extend} maps a 16-bit number from a NACK onto the
 * extended number nearest the newest stored packet, so lookups work across the 16-bit wrap.
 */
public final class PacketHistory {
    private static final long EMPTY = Long.MIN_VALUE;

    private final int capacity;
    private final int mask;
    private final int slotSize;
    private final byte[] data;
    private final long[] extOf;
    private final int[] lengthOf;
    private final long[] storedAt;
    private boolean any;
    private long highest;

    /**
     * @param capacity packets kept; a power of two
     * @param slotSize largest packet kept (larger ones are refused)
     */
    public PacketHistory(int capacity, int slotSize) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity);
        if (slotSize < RtpHeader.FIXED_HEADER_LENGTH) throw new IllegalArgumentException("slot size " + slotSize);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotSize = slotSize;
        this.data = new byte[Math.multiplyExact(capacity, slotSize)];
        this.extOf = new long[capacity];
        this.lengthOf = new int[capacity];
        this.storedAt = new long[capacity];
        reset();
    }

    /** Empties the history (a new publisher stream). */
    public void reset() {
        Arrays.fill(extOf, EMPTY);
        any = false;
        highest = 0;
    }

    /**
     * Copies the packet {@code [off, off+len)} in under {@code ext}, evicting whatever held its slot. False (nothing
     * stored) when it is larger than a slot or older than the whole window.
     */
    public boolean store(long ext, byte[] buf, int off, int len, long nowNanos) {
        if (len > slotSize || len < RtpHeader.FIXED_HEADER_LENGTH) return false;
        if (any && ext <= highest - capacity) return false;
        int slot = (int) (ext & mask);
        System.arraycopy(buf, off, data, slot * slotSize, len);
        extOf[slot] = ext;
        lengthOf[slot] = len;
        storedAt[slot] = nowNanos;
        if (!any || ext > highest) highest = ext;
        any = true;
        return true;
    }

    /** The slot holding {@code ext}, or -1 when it was never stored or has been evicted. */
    public int slotOf(long ext) {
        int slot = (int) (ext & mask);
        return extOf[slot] == ext ? slot : -1;
    }

    public boolean contains(long ext) { return slotOf(ext) >= 0; }

    /** True when {@code ext} is too old to be held any more (a duplicate of it could no longer be recognised). */
    public boolean isBeforeWindow(long ext) { return any && ext <= highest - capacity; }

    /** The extended sequence number whose low 16 bits are {@code seq}, nearest the newest stored packet. */
    public long extend(int seq) { return highest + SequenceNumbers.diff(seq, (int) (highest & SequenceNumbers.MASK)); }

    /** The array all slots live in; a slot's packet starts at {@link #offsetOf}. */
    public byte[] data() { return data; }

    public int offsetOf(int slot) { return slot * slotSize; }

    public int lengthOf(int slot) { return lengthOf[slot]; }

    public long storedAtNanos(int slot) { return storedAt[slot]; }

    public boolean isEmpty() { return !any; }

    /** Newest extended sequence number stored (meaningless while {@link #isEmpty()}). */
    public long highest() { return highest; }

    public int capacity() { return capacity; }

    public int slotSize() { return slotSize; }
}
