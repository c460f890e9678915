package live.cascade.sfu.receive;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * Stage {@link Stage#HISTORY}: the packet is copied into its track's history (NACK answers, duplicate detection, the
 * GOP cache) and counted: packets, bytes, RFC 3550 receive statistics, frames. Drops nothing, so it has no counter of
 * its own: its in and out are what the stage before passed on ({@link StageCounters}).
 */
public final class HistoryWriter {
    public void store(PublisherTrack t, RtpHeader h, long ext, boolean repaired, long now) {
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
    }
}
