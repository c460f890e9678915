package live.cascade.sfu.receive;

import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;

/** Stage {@link Stage#PARSE}: the header parses and the packet fits the per-viewer buffers. */
public final class HeaderCheck {
    private static final int S = Stage.PARSE.ordinal();
    private final StageCounters counters;
    private final DropCounters drops;
    private final int maxPacketSize;

    public HeaderCheck(StageCounters counters, DropCounters drops, int maxPacketSize) {
        this.counters = counters;
        this.drops = drops;
        this.maxPacketSize = maxPacketSize;
    }

    /** Parses into {@code h}; false (counted) when the packet goes no further. */
    public boolean accept(RtpHeader h, byte[] buf, int off, int len) {
        counters.entered();
        if (h.parse(buf, off, len) != RtpStatus.OK) {
            reject(RouterDrop.MALFORMED_RTP);
            return false;
        }
        if (len > maxPacketSize) {
            reject(RouterDrop.PACKET_TOO_LARGE);
            return false;
        }
        return true;
    }

    private void reject(RouterDrop reason) {
        counters.drop(S);
        drops.add(reason);
    }
}
