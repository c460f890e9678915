package live.cascade.sfu.receive;

import live.cascade.sfu.params.MediaKind;

/**
 * Stage {@link Stage#LOSS_TRACKING}: gaps noted for NACKs (only where NACK was negotiated: an unrequested list would
 * fill with gaps nobody collects) and repairs recognised. Drops nothing, so it has no counter of its own: its in and
 * out are what the stage before passed on ({@link StageCounters}).
 */
public final class LossTracker {
    /**
     * Notes packet {@code ext} of {@code t}; true when the gap it reveals is too large to NACK and the video track
     * needs a keyframe instead.
     */
    public boolean onPacket(PublisherTrack t, long ext, long now) {
        int arrival = t.nackEnabled ? t.nack.onPacket(ext, now) : NackGenerator.IN_ORDER;
        if (arrival == NackGenerator.RECOVERED) {
            t.packetsRecovered++;
            return false;
        }
        return arrival == NackGenerator.GAP_TOO_LARGE && t.kind == MediaKind.VIDEO;
    }
}
