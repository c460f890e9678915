package live.cascade.sfu.receive;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * Stage {@link Stage#HISTORY}: the packet is copied into its track's history (NACK answers, duplicate detection, the
 * GOP cache) and counted: packets, bytes, RFC 3550 receive statistics, frames. Drops nothing.
 */
public final class HistoryWriter {
    private static final int S = Stage.HISTORY.ordinal();
    private final StageCounters counters;

    public HistoryWriter(StageCounters counters) { this.counters = counters; }

    public void store(PublisherTrack t, RtpHeader h, long ext, boolean repaired, long now) {
        counters.in(S);
        int len = h.length();
        t.packets++;
        t.bytes += len;
        t.lastSeenNanos = now;
        t.receive.onPacket(h.sequenceNumber(), h.timestamp(), now, repaired);
        if (!repaired) t.streamOriginals++;
        if (ext > t.highestExt) {
            if (t.kind == MediaKind.VIDEO && h.timestamp() != t.lastFrameTimestamp) t.frames++;
            t.lastFrameTimestamp = h.timestamp();
            t.highestExt = ext;
        }
        t.history.store(ext, h.buffer(), h.offset(), len, now);
        counters.out(S);
    }
}
