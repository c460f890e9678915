package live.cascade.whipwhep;

import java.util.List;

/**
 * @param iceServers          STUN/TURN servers announced in Link headers
 * @param offlineRetryAfter   seconds a WHEP player should wait before retrying an offline channel (409)
 * @param overloadRetryAfter  seconds a client should wait when the node is full (503)
 */
public record WhipWhepSettings(List<IceServer> iceServers, int offlineRetryAfter, int overloadRetryAfter) {
    public WhipWhepSettings {
        iceServers = List.copyOf(iceServers);
    }
}
