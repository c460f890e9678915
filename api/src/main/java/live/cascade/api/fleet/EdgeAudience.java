package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.api.hls.ViewerCounts;
import live.cascade.signaling.session.ChannelRef;

/**
 * The origin's half of "viewer counts are summed across nodes": after each heartbeat, for every channel this node
 * is the origin of, the viewers the other nodes report for it (each node's registry entry carries its relayed
 * channels' viewers) go into the channel's count here, so the recorded count, its peak and the API show the whole
 * audience. An edge that dies drops out with its registry entry.
 */
public final class EdgeAudience implements Runnable {
    private final OriginClaims claims;
    private final NodeRegistry registry;
    private final ViewerCounts counts;
    private final String selfId;

    public EdgeAudience(OriginClaims claims, NodeRegistry registry, ViewerCounts counts, String selfId) {
        this.claims = claims;
        this.registry = registry;
        this.counts = counts;
        this.selfId = selfId;
    }

    @Override
    public void run() {
        var mine = claims.origins();
        if (mine.isEmpty()) return;
        var nodes = registry.alive();
        for (ChannelRef channel : mine) {
            int sum = 0;
            for (NodeInfo n : nodes) if (!n.id().equals(selfId)) sum += n.relayed().getOrDefault(channel.id(), 0);
            counts.edges(channel, sum);
        }
    }
}
