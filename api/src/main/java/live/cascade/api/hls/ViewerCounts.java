package live.cascade.api.hls;

import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A channel's {@code viewerCount} is its WHEP viewers plus its HLS viewers. This listener sits between the broadcast
 * service and the recorder that writes the count: it passes every event through and, for counts, adds the HLS viewers
 * that {@link HlsViewers} reports, so both kinds of change produce one correct total.
 */
public final class ViewerCounts implements BroadcastListener {
    private final BroadcastListener delegate;
    /** Channel id → {WHEP viewers, HLS viewers, viewers on edge nodes}. Updated under the map's per-key lock. */
    private final ConcurrentHashMap<Long, int[]> counts = new ConcurrentHashMap<>();

    public ViewerCounts(BroadcastListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onLive(ChannelRef channel) { delegate.onLive(channel); }

    @Override
    public void onReconnecting(ChannelRef channel) { delegate.onReconnecting(channel); }

    @Override
    public void onResumed(ChannelRef channel) { delegate.onResumed(channel); }

    @Override
    public void onEnded(ChannelRef channel) {
        counts.remove(channel.id());
        delegate.onEnded(channel);
    }

    @Override
    public void onViewerJoined(ChannelRef channel, String sessionId) { delegate.onViewerJoined(channel, sessionId); }

    @Override
    public void onViewerLeft(ChannelRef channel, String sessionId) { delegate.onViewerLeft(channel, sessionId); }

    @Override
    public void onViewerCount(ChannelRef channel, int whep) {
        update(channel, 0, whep);
    }

    /** The channel now has {@code hls} active HLS viewers. */
    public void hls(ChannelRef channel, int hls) {
        update(channel, 1, hls);
    }

    /**
     * The channel, whose origin this node is, has {@code viewers} viewers on other nodes that relay it from here
     * (issue 21): the count this node records is the channel's whole audience. Nothing is written when it is unchanged.
     */
    public void edges(ChannelRef channel, int viewers) {
        int[] c = counts.get(channel.id());
        if ((c == null ? 0 : c[2]) == viewers) return;
        update(channel, 2, viewers);
    }

    private void update(ChannelRef channel, int slot, int value) {
        int[] total = new int[1];
        counts.compute(channel.id(), (id, c) -> {
            int[] n = c == null ? new int[3] : c;
            n[slot] = value;
            total[0] = n[0] + n[1] + n[2];
            return n;
        });
        delegate.onViewerCount(channel, total[0]);
    }

    /** WHEP + HLS viewers of a channel on this node (viewers on edge nodes not included). */
    public int total(long channelId) {
        int[] c = counts.get(channelId);
        return c == null ? 0 : c[0] + c[1];
    }
}
