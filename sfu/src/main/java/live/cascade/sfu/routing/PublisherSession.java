package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.transport.MediaReceiver;

/**
 * The receiver handed to one attached publisher transport. Once the router binds another publisher (or detaches this
 * one) it {@link #retire retires} this session: packets still arriving here are dropped as stale.
 */
final class PublisherSession implements MediaReceiver {
    private final ReceivePath rtp;
    private final PublisherRtcp rtcp;
    private final DropCounters drops;
    private boolean retired;

    PublisherSession(ReceivePath rtp, PublisherRtcp rtcp, DropCounters drops) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.drops = drops;
    }

    void retire() { retired = true; }

    @Override public void onRtp(byte[] buf, int off, int len) { onRtp(buf, off, len, 0); }

    @Override
    public void onRtp(byte[] buf, int off, int len, long waitedNanos) {
        if (retired) drops.add(RouterDrop.STALE_PUBLISHER);
        else rtp.onRtp(buf, off, len, waitedNanos);
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        if (retired) drops.add(RouterDrop.STALE_PUBLISHER);
        else rtcp.onRtcp(buf, off, len);
    }
}
