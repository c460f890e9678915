package live.cascade.signaling.session;

import java.net.InetSocketAddress;

/**
 * Where one session's media goes: the remote address ICE selected (the peer, or the TURN relay that carries it) and
 * whether that is a passive ICE-TCP connection rather than UDP. {@code sessionId} is the WHIP/WHEP resource id (the
 * last segment of the session's {@code Location}), which a client's report about its own session names.
 */
public record SelectedPath(String sessionId, SessionKind kind, InetSocketAddress remote, boolean tcp) {
}
