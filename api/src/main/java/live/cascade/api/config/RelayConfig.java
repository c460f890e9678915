package live.cascade.api.config;

import java.time.Duration;

/**
 * Relays: this node pulling a channel from the node that holds it (the origin) for its own viewers.
 *
 * @param linger how long a relay stays open after this node's last viewer of the channel left
 */
public record RelayConfig(Duration linger) {
}
