package live.cascade.api.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether the node holding a channel's claim has left the deployment, so another node may take the claim over (with a
 * newer fencing token) before it lapses on its own. Only positive evidence counts, because taking over from a holder
 * that is merely slow would end a live broadcast:
 * <ul>
 *   <li>the holder is not in the {@link NodeRegistry}: it left, or it has been silent for {@link NodeRegistry#GONE_AFTER}
 *       (three heartbeats; a holder that missed one or two is still there);</li>
 *   <li>its registry entry is stale: the HTTP listener it announced refuses connections ({@link ListenerProbe}), which
 *       a paused or overloaded process never does (its kernel still accepts), only a process that has exited.</li>
 * </ul>
 * Anything else (an answer, a timeout, an unreachable host) counts as alive: the claim then lapses after its TTL.
 */
@FunctionalInterface
public interface HolderLiveness {
    /** How long a probe of a holder's listener waits for the handshake; a slower one counts as alive. */
    Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    /** Never takes a claim over: claims change hands only when they lapse or are released. */
    HolderLiveness NEVER = nodeId -> false;

    boolean gone(String nodeId);

    /** The registry's rule, and a refused connection to the holder's announced HTTP base within {@code probeTimeout}. */
    static HolderLiveness of(NodeRegistry registry, Duration probeTimeout) {
        return nodeId -> {
            Optional<NodeInfo> node = registry.node(nodeId);
            return node.isEmpty() || ListenerProbe.refused(node.get().httpUrl(), probeTimeout);
        };
    }

    /** The registry's rule alone (tests of the rule with a fake clock). */
    static HolderLiveness registryOnly(NodeRegistry registry) {
        return nodeId -> registry.node(nodeId).isEmpty();
    }
}
