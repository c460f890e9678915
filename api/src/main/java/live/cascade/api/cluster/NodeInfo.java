package live.cascade.api.cluster;

import java.util.Map;
import java.util.Objects;

/**
 * One node of the deployment as the registry knows it.
 *
 * @param id       the node's id ({@code --node-id})
 * @param httpUrl  its HTTP base as other nodes and players reach it ({@code --public-url}), no trailing slash
 * @param mediaIp  the address its media candidates carry ({@code --media-public-ip}, else {@code --public-ip}); empty
 *                 when it advertises its interface addresses
 * @param load     its load at its last heartbeat
 * @param draining it takes no new sessions (SIGTERM or an administrator's drain)
 * @param relayed  channel id → this node's viewers of it, for each channel it relays from another node's origin (the
 *                 origin adds them to the channel's viewer count)
 */
public record NodeInfo(String id, String httpUrl, String mediaIp, NodeLoad load, boolean draining, Map<Long, Integer> relayed) {
    public NodeInfo(String id, String httpUrl, String mediaIp, NodeLoad load, boolean draining) {
        this(id, httpUrl, mediaIp, load, draining, Map.of());
    }

    public NodeInfo {
        relayed = relayed == null ? Map.of() : Map.copyOf(relayed);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(httpUrl, "httpUrl");
        Objects.requireNonNull(mediaIp, "mediaIp");
        Objects.requireNonNull(load, "load");
    }

    public NodeInfo withLoad(NodeLoad l) {
        return new NodeInfo(id, httpUrl, mediaIp, l, draining, relayed);
    }

    public NodeInfo withDraining(boolean d) {
        return new NodeInfo(id, httpUrl, mediaIp, load, d, relayed);
    }
}
