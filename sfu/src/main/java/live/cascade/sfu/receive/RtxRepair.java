package live.cascade.sfu.receive;

import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.RtxPacketizer;

/**
 * Stage {@link Stage#RTX_REPAIR}: a publisher RTX packet (the answer to one of our NACKs, or a bandwidth probe) is
 * restored into the original packet, in a buffer of its own; media packets do not pass through here.
 */
public final class RtxRepair {
    private static final int S = Stage.RTX_REPAIR.ordinal();
    private final StageCounters counters;
    private final DropCounters drops;
    private final RtpHeader repaired = new RtpHeader();
    private final byte[] buffer;

    /** @param bufferSize the largest packet accepted, plus the tail room a transport may append in place */
    public RtxRepair(StageCounters counters, DropCounters drops, int bufferSize) {
        this.counters = counters;
        this.drops = drops;
        this.buffer = new byte[bufferSize];
    }

    /** The original packet carried by {@code rtx}, parsed over this stage's buffer; null (counted) when there is none. */
    public RtpHeader repair(PublisherTrack t, RtpHeader rtx) {
        counters.rtxGiven();
        t.rtxPackets++;
        if (!t.ssrcKnown) {
            reject(RouterDrop.UNKNOWN_SSRC);
            return null;
        }
        int n = RtxPacketizer.unwrap(rtx, buffer, 0, t.payloadType, t.ssrc);
        if (n < 0) {
            t.paddingPackets++;
            reject(RouterDrop.RTX_PADDING);
            return null;
        }
        if (repaired.parse(buffer, 0, n) != RtpStatus.OK) {
            reject(RouterDrop.MALFORMED_RTP);
            return null;
        }
        return repaired;
    }

    private void reject(RouterDrop reason) {
        counters.drop(S);
        drops.add(reason);
    }
}
