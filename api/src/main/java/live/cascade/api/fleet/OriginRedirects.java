package live.cascade.api.fleet;

import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.RemoteOrigins;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * WHEP for a channel whose origin is another node, answered from placement and the registry: the origin's WHEP URL,
 * for a 307. This is the fallback until this node relays from the origin itself ({@link OriginRelays}); a viewer is
 * then served by the origin, so the origin carries every viewer of the channel, which is what the relay removes.
 */
public final class OriginRedirects implements RemoteOrigins {
    private final ChannelPlacement placement;
    private final NodeRegistry registry;
    private final String selfId;
    private final OriginRelays relays;

    public OriginRedirects(ChannelPlacement placement, NodeRegistry registry, String selfId, OriginRelays relays) {
        this.placement = placement;
        this.registry = registry;
        this.selfId = selfId;
        this.relays = relays;
    }

    /** The live origin of a channel when it is another node that is alive. */
    public Optional<NodeInfo> remoteOrigin(long channelId) {
        return placement.holder(channelId).filter(h -> !h.nodeId().equals(selfId)).flatMap(h -> registry.node(h.nodeId()));
    }

    public static String whepUrl(NodeInfo node, String slug) {
        return node.httpUrl() + "/api/whep/" + URLEncoder.encode(slug, StandardCharsets.UTF_8);
    }

    @Override
    public Placement place(ChannelRef channel) {
        Optional<NodeInfo> origin = remoteOrigin(channel.id());
        if (origin.isEmpty()) return new Placement.NotElsewhere();
        String url = whepUrl(origin.get(), channel.slug());
        return relays.open(channel, origin.get(), url) ? new Placement.Relayed() : new Placement.Redirect(url);
    }
}
