package live.cascade.api.fleet;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.NodeChooser;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeLoad;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet over HTTP: the administrator's node list ({@code GET /api/admin/nodes}) and drain
 * ({@code POST /api/admin/nodes/{id}/drain}), and where a channel is watched from ({@code GET /api/channels/{c}/edges}),
 * which any node answers from the registry and placement, so players and the embed can move to another node when
 * theirs dies.
 */
public final class FleetResource {
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final NodeRegistry registry;
    private final ChannelPlacement placement;
    private final FleetNode self;
    private final NodeCommands commands;

    public FleetResource(Database db, Authenticator auth, NodeRegistry registry, ChannelPlacement placement, FleetNode self,
                         NodeCommands commands) {
        this.auth = auth;
        this.lookup = new ChannelLookup(db);
        this.registry = registry;
        this.placement = placement;
        this.self = self;
        this.commands = commands;
    }

    record LoadJson(int viewers, int sessions, int maxSessions, double egressMbps, double cpu, double utilisation) {
        static LoadJson of(NodeLoad l) {
            return new LoadJson(l.viewers(), l.sessions(), l.maxSessions(), Math.round(l.egressMbps() * 100) / 100.0,
                    Math.round(l.cpu() * 1000) / 1000.0, Math.round(l.utilisation() * 1000) / 1000.0);
        }
    }

    record NodeJson(String id, String url, String mediaIp, boolean draining, boolean self, LoadJson load) {
        static NodeJson of(NodeInfo n, String selfId) {
            return new NodeJson(n.id(), n.httpUrl(), n.mediaIp(), n.draining(), n.id().equals(selfId), LoadJson.of(n.load()));
        }
    }

    record NodesJson(String self, List<NodeJson> nodes) {
    }

    record EdgeJson(String id, String url, String whepUrl, double utilisation) {
        static EdgeJson of(NodeInfo n, String slug) {
            return new EdgeJson(n.id(), n.httpUrl(), OriginRedirects.whepUrl(n, slug), Math.round(n.load().utilisation() * 1000) / 1000.0);
        }
    }

    /** @param origin the node holding the publisher, null when the channel is not live; nodes: where to watch, best first */
    record EdgesJson(String channel, boolean live, EdgeJson origin, List<EdgeJson> nodes) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/admin/nodes", this::nodes);
        cfg.routes.post("/api/admin/nodes/{node}/drain", this::drain);
        cfg.routes.get("/api/channels/{channel}/edges", this::edges);
    }

    /** The registry, with this node as it is now even when Redis is away. */
    private List<NodeInfo> alive() {
        List<NodeInfo> nodes = new ArrayList<>(registry.alive().stream().filter(n -> !n.id().equals(self.id())).toList());
        nodes.add(self.self());
        return nodes;
    }

    private void nodes(Context ctx) {
        auth.requireAdmin(ctx);
        List<NodeJson> out = alive().stream().sorted(java.util.Comparator.comparing(NodeInfo::id)).map(n -> NodeJson.of(n, self.id())).toList();
        ctx.json(new NodesJson(self.id(), out));
    }

    private void drain(Context ctx) {
        auth.requireAdmin(ctx);
        String id = ctx.pathParam("node");
        if (alive().stream().noneMatch(n -> n.id().equals(id))) {
            throw ApiException.notFound("No live node '" + id + "'; GET /api/admin/nodes lists the nodes alive now.");
        }
        commands.send(new NodeCommand.DrainNode(id));
        ctx.status(202);
    }

    private void edges(Context ctx) {
        Channel c = lookup.find(ctx, auth.current(ctx));
        List<NodeInfo> nodes = alive();
        Optional<NodeInfo> origin = placement.holder(c.id())
                .flatMap(h -> nodes.stream().filter(n -> n.id().equals(h.nodeId())).findFirst());
        List<EdgeJson> watch = NodeChooser.leastLoaded(nodes, Set.of()).stream().map(n -> EdgeJson.of(n, c.slug())).toList();
        ctx.json(new EdgesJson(c.slug(), origin.isPresent(), origin.map(n -> EdgeJson.of(n, c.slug())).orElse(null), watch));
    }
}
