package live.cascade.api.fleet;

import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.HolderLiveness;
import live.cascade.api.cluster.NodeChooser;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.RemoteOrigins;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * WHEP for a channel whose origin is another node, answered from placement and the registry: the origin's WHEP URL,
 * for a 307, or a relay from it ({@link RelayOpener}). The 307 is the fallback when the relay cannot be opened: the
 * viewer is then served by the origin, which carries every such viewer itself.
 */
public final class OriginRedirects implements RemoteOrigins {
    private final ChannelPlacement placement;
    private final NodeRegistry registry;
    private final HolderLiveness liveness;
    private final String selfId;
    /** Set once the media plane (which holds the relays and needs this class) exists; until then, redirects. */
    private volatile RelayOpener relays = RelayOpener.NONE;

    private volatile FleetNode self;

    /** This node's own entry, to know when it drains. */
    public void node(FleetNode node) {
        this.self = node;
    }

    private boolean draining() {
        FleetNode n = self;
        return n != null && n.draining();
    }

    /** The least loaded other node that takes sessions. */
    private Optional<NodeInfo> another() {
        return NodeChooser.leastLoaded(registry.alive(), java.util.Set.of(selfId)).stream().findFirst();
    }

    private volatile SteeringTokens steering;
    private volatile SteeringTokens viewerSteering;
    private volatile double maxLoad;

    /**
     * Publishers are steered away from this node above {@code maxLoad} utilisation (0: never), or while it drains;
     * viewers above {@code maxLoad} (a draining node's viewers are redirected by {@link #place}).
     */
    public void steer(SteeringTokens publishers, SteeringTokens viewers, double maxLoad) {
        this.steering = publishers;
        this.viewerSteering = viewers;
        this.maxLoad = maxLoad;
    }

    @Override
    public Optional<String> steerViewer(ChannelRef channel, boolean liveHere) {
        FleetNode n = self;
        SteeringTokens tokens = viewerSteering;
        if (n == null || tokens == null || maxLoad <= 0) return Optional.empty();
        double load = n.self().load().utilisation();
        if (load < maxLoad) return Optional.empty();
        // Offline everywhere: this node's own 409 says so; there is nothing another node could relay.
        if (!liveHere && remoteOrigin(channel.id()).isEmpty()) return Optional.empty();
        // Any node can serve it: the origin directly, any other by relaying it (one relay per node, however many
        // viewers are steered there). The better of two random less loaded ones, as for publishers.
        return new NodeChooser(java.util.concurrent.ThreadLocalRandom.current())
                .twoRandomChoices(registry.alive(), java.util.Set.of(selfId), load)
                .map(t -> whepUrl(t, channel.slug()) + "?steer=" + tokens.issue(t.id(), channel.slug()));
    }

    @Override
    public Optional<String> redeemViewerSteering(String token) {
        SteeringTokens tokens = viewerSteering;
        return tokens == null ? Optional.empty() : tokens.redeem(token, selfId);
    }

    @Override
    public Optional<String> steerPublisher(ChannelRef channel) {
        FleetNode n = self;
        SteeringTokens tokens = steering;
        if (n == null || tokens == null) return Optional.empty();
        boolean over = maxLoad > 0 && n.self().load().utilisation() >= maxLoad;
        if (!over && !n.draining()) return Optional.empty();
        // The better of two random nodes less loaded than this one (and under the limit), so publishers steered at
        // once spread out rather than all landing on the one that looked emptiest 2 s ago.
        Optional<NodeInfo> to = new NodeChooser(java.util.concurrent.ThreadLocalRandom.current())
                .twoRandomChoices(registry.alive(), java.util.Set.of(selfId), n.draining() ? 1.0 : n.self().load().utilisation());
        return to.map(t -> t.httpUrl() + "/api/whip?steer=" + tokens.issue(t.id(), channel.slug()));
    }

    @Override
    public Optional<String> redeemSteering(String token) {
        SteeringTokens tokens = steering;
        return tokens == null ? Optional.empty() : tokens.redeem(token, selfId);
    }

    @Override
    public Optional<String> closedForNewSessions() {
        if (!draining()) return Optional.empty();
        return Optional.of("This node is draining (it is about to stop) and takes no new broadcast"
                + another().map(n -> "; publish to " + n.httpUrl() + "/api/whip").orElse("; try again shortly") + ".");
    }

    public OriginRedirects(ChannelPlacement placement, NodeRegistry registry, HolderLiveness liveness, String selfId) {
        this.placement = placement;
        this.registry = registry;
        this.liveness = liveness;
        this.selfId = selfId;
    }

    @Override
    public Optional<HeldElsewhere> heldElsewhere(ChannelRef channel) {
        Optional<ChannelPlacement.Holder> holder = placement.holder(channel.id()).filter(h -> !h.nodeId().equals(selfId));
        if (holder.isEmpty() || liveness.gone(holder.get().nodeId())) return Optional.empty();
        String node = holder.get().nodeId();
        String where = registry.node(node).map(n -> " (" + n.httpUrl() + ")").orElse("");
        // Retry after one heartbeat: a holder that died is gone from the registry at most GONE_AFTER after its last
        // one, and a refused connection to it counts at once.
        return Optional.of(new HeldElsewhere("Channel '" + channel.slug() + "' is live on node " + node + where + ", which is "
                + "still running: another publisher is sending to this channel there, or your previous session there has not "
                + "ended yet. Stop the other publisher, or publish again in a few seconds: a node that stopped is taken over "
                + "at once, one that stopped answering within " + NodeRegistry.GONE_AFTER.toSeconds() + " s of its last heartbeat.",
                (int) NodeRegistry.HEARTBEAT.toSeconds()));
    }

    /** From now on viewers of a channel held elsewhere are served here through {@code opener}, 307 when it fails. */
    public void relayThrough(RelayOpener opener) {
        this.relays = opener;
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
        if (draining()) {
            // Not here any more: the origin, or any other node, which relays it.
            Optional<NodeInfo> to = remoteOrigin(channel.id()).or(this::another);
            return to.<Placement>map(n -> new Placement.Redirect(whepUrl(n, channel.slug()))).orElseGet(Placement.NotElsewhere::new);
        }
        Optional<NodeInfo> origin = remoteOrigin(channel.id());
        if (origin.isEmpty()) return new Placement.NotElsewhere();
        String url = whepUrl(origin.get(), channel.slug());
        return relays.open(channel, origin.get(), url) ? new Placement.Relayed() : new Placement.Redirect(url);
    }
}
