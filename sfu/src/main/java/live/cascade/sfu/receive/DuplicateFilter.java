package live.cascade.sfu.receive;

import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.SequenceUnwrapper;

/**
 * Stage {@link Stage#DUPLICATE_FILTER}: the packet's extended sequence number, one unwrapping per track shared by
 * history, NACKs and the GOP cache; a number already in the history, or older than it, ends here.
 */
public final class DuplicateFilter {
    /** What {@link #accept} returns for a packet that goes no further. */
    public static final long REJECTED = Long.MIN_VALUE;
    private static final int S = Stage.DUPLICATE_FILTER.ordinal();
    private final StageCounters counters;
    private final DropCounters drops;

    public DuplicateFilter(StageCounters counters, DropCounters drops) {
        this.counters = counters;
        this.drops = drops;
    }

    /** The extended sequence number of {@code h}, original or {@code repaired}; {@link #REJECTED} (counted) if not new. */
    public long accept(PublisherTrack t, RtpHeader h, boolean repaired) {
        long ext;
        if (repaired) {
            // A retransmission answers a NACK for a number below the newest: it must not move the stream's
            // unwrapping forward (a stray or forged OSN would make every later packet look old).
            SequenceUnwrapper u = t.sequence;
            ext = u.highest() + SequenceNumbers.diff(h.sequenceNumber(), (int) (u.highest() & SequenceNumbers.MASK));
            if (!u.started() || ext >= u.highest()) return duplicate(t);
        } else {
            ext = t.sequence.unwrap(h.sequenceNumber());
        }
        if (t.history.contains(ext)) return duplicate(t);
        if (t.history.isBeforeWindow(ext)) {
            counters.drop(S);
            drops.add(RouterDrop.TOO_OLD);
            return REJECTED;
        }
        return ext;
    }

    private long duplicate(PublisherTrack t) {
        t.duplicatePackets++;
        counters.drop(S);
        drops.add(RouterDrop.DUPLICATE_PACKET);
        return REJECTED;
    }
}
