package live.cascade.signaling.session;

import java.net.InetSocketAddress;

/**
 * Where one session's media goes: the remote address ICE selected (the peer, or the TURN relay that carries it) and
 * whether that is a passive ICE-TCP connection rather than UDP.
 */
public record SelectedPath(SessionKind kind, InetSocketAddress remote, boolean tcp) {
}
