package live.cascade.api;

import live.cascade.api.config.CascadeConfig;
import live.cascade.api.fleet.EdgeAudience;
import live.cascade.api.fleet.FleetNode;
import live.cascade.api.fleet.FleetRelays;
import live.cascade.api.fleet.NodeDrain;
import live.cascade.api.fleet.NodeLoadMeter;
import live.cascade.api.fleet.OriginClaims;
import live.cascade.api.fleet.OriginRedirects;
import live.cascade.api.fleet.SteeringTokens;
import live.cascade.api.media.MediaPlane;

import java.time.Clock;
import java.time.Duration;

/**
 * This node's part in a fleet (issue 21), wired once the media plane exists: its heartbeat with its load, the origin
 * claims of its broadcasts, relays for channels held elsewhere, publisher steering and the administrator's drain.
 * Stopped in two steps: {@link #leave} before the HTTP server stops (no node sends anyone here any more), {@link #close}
 * after the media plane (the broadcasts' ends have released their claims).
 */
final class FleetWiring {
    final FleetNode node;
    final OriginClaims claims;
    final FleetRelays relays;

    private FleetWiring(FleetNode node, OriginClaims claims, FleetRelays relays) {
        this.node = node;
        this.claims = claims;
        this.relays = relays;
    }

    static FleetWiring wire(CascadeConfig config, String nodeId, String secret, Clock clock, Cluster cluster, MediaPlane media,
                            OriginRedirects origins) {
        FleetNode node = new FleetNode(nodeId, config.cluster().mediaPublicIp().or(config::publicIp).orElse(""), cluster.registry(),
                new NodeLoadMeter(media.broadcasts(), media.engine(), config.maxSessions())::measure);
        OriginClaims claims = new OriginClaims(cluster.placement(), nodeId, media.broadcasts()::stop, node::announceNow);
        media.events().add(claims);
        // WHEP for a channel held elsewhere relays it from its origin; edges' viewers are counted on the origin.
        FleetRelays relays = new FleetRelays(media.relays(), media.broadcasts());
        origins.relayThrough(relays);
        origins.node(node);
        origins.steer(new SteeringTokens(secret, clock), new SteeringTokens(secret, clock, SteeringTokens.Purpose.PLAY), config.cluster().maxLoad());
        node.withRelays(relays::viewers, new EdgeAudience(claims, cluster.registry(), media.viewerCounts(), nodeId));
        // An administrator's drain reaches this node as a command; when drained, the process exits (its shutdown
        // hook closes the node). The grace is --shutdown-grace, at least 10 s.
        Duration grace = config.shutdownGrace().compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : config.shutdownGrace();
        media.resource().drainingWhen(node::draining);
        cluster.commands().subscribe(new NodeDrain(node, media.broadcasts(), grace, () -> System.exit(0)));
        return new FleetWiring(node, claims, relays);
    }

    /** Out of the registry, no more relay bookkeeping. */
    void leave() {
        node.close();
        relays.close();
    }

    void close() {
        claims.close();
    }
}
