package live.cascade.whipwhep;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * @param iceServers          STUN/TURN servers announced in Link headers, asked for each answer (TURN credentials are
 *                            minted per answer and short-lived)
 * @param offlineRetryAfter   seconds a WHEP player should wait before retrying an offline channel (409)
 * @param overloadRetryAfter  seconds a client should wait when the node's share for its kind is full (503)
 * @param pendingRetryAfter   seconds a WHEP client should wait when too many of its address's (or the channel's)
 *                            sessions are still connecting (429): about the time such a session takes to be reaped
 */
public record WhipWhepSettings(Supplier<List<IceServer>> iceServers, int offlineRetryAfter, int overloadRetryAfter,
                               int pendingRetryAfter) {
    public WhipWhepSettings {
        Objects.requireNonNull(iceServers, "iceServers");
    }

    /** With a fixed list of servers (STUN only: TURN credentials are minted, see the Supplier form). */
    public WhipWhepSettings(List<IceServer> iceServers, int offlineRetryAfter, int overloadRetryAfter, int pendingRetryAfter) {
        this(fixed(iceServers), offlineRetryAfter, overloadRetryAfter, pendingRetryAfter);
    }

    public WhipWhepSettings(List<IceServer> iceServers, int offlineRetryAfter, int overloadRetryAfter) {
        this(iceServers, offlineRetryAfter, overloadRetryAfter, overloadRetryAfter);
    }

    private static Supplier<List<IceServer>> fixed(List<IceServer> servers) {
        List<IceServer> copy = List.copyOf(servers);
        return () -> copy;
    }
}
