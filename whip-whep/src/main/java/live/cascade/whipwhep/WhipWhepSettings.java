package live.cascade.whipwhep;

import java.util.List;

/**
 * @param iceServers          STUN/TURN servers announced in Link headers
 * @param offlineRetryAfter   seconds a WHEP player should wait before retrying an offline channel (409)
 * @param overloadRetryAfter  seconds a client should wait when the node's share for its kind is full (503)
 * @param pendingRetryAfter   seconds a WHEP client should wait when too many of its address's (or the channel's)
 *                            sessions are still connecting (429): about the time such a session takes to be reaped
 */
public record WhipWhepSettings(List<IceServer> iceServers, int offlineRetryAfter, int overloadRetryAfter, int pendingRetryAfter) {
    public WhipWhepSettings {
        iceServers = List.copyOf(iceServers);
    }

    public WhipWhepSettings(List<IceServer> iceServers, int offlineRetryAfter, int overloadRetryAfter) {
        this(iceServers, offlineRetryAfter, overloadRetryAfter, overloadRetryAfter);
    }
}
