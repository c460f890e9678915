package live.cascade.api.config;

import java.util.Optional;

/**
 * How this node takes part in a deployment of several nodes (issue 21).
 *
 * @param nodeId        {@code --node-id}, or derived from the host name and ports when empty
 * @param mediaPublicIp {@code --media-public-ip}: where other nodes reach this node's media, when not public-ip
 * @param maxLoad       {@code --max-load}: utilisation from which publishers are steered elsewhere; 0 never
 */
public record ClusterConfig(Optional<String> nodeId, Optional<String> mediaPublicIp, double maxLoad) {
    public static final ClusterConfig DEFAULTS = new ClusterConfig(Optional.empty(), Optional.empty(), 0);
}
