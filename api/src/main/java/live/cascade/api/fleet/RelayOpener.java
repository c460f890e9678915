package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeInfo;
import live.cascade.signaling.session.ChannelRef;

/**
 * The seam between placement and the relay (issue 21's server-to-server WHEP client, {@code media.relay.OriginRelays}):
 * opens a relay to {@code originWhepUrl}, or reuses the one already open, so that this node's router has the channel.
 * False when this node does not relay or the relay could not be opened (then the viewer is redirected to the origin
 * with 307, the fallback).
 */
@FunctionalInterface
public interface RelayOpener {
    /** No relays: every viewer of a remote channel is redirected to its origin. */
    RelayOpener NONE = (channel, origin, originWhepUrl) -> false;

    boolean open(ChannelRef channel, NodeInfo origin, String originWhepUrl);
}
