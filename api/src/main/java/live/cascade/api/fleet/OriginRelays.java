package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeInfo;
import live.cascade.signaling.session.ChannelRef;

/**
 * The seam for relaying a channel from its origin to this node (issue 21's server-to-server WHEP client): opens a relay
 * to {@code originWhepUrl}, or reuses the one already open, so that this node's router has the channel. False when
 * this node does not relay (then the viewer is redirected to the origin with 307).
 */
@FunctionalInterface
public interface OriginRelays {
    /** No relays: every viewer of a remote channel is redirected to its origin. */
    OriginRelays NONE = (channel, origin, originWhepUrl) -> false;

    boolean open(ChannelRef channel, NodeInfo origin, String originWhepUrl);
}
