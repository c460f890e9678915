package live.cascade.api.media.relay;

import java.util.List;
import java.util.Optional;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.RelayGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's check of a relay request: a relay token of this deployment for the channel, and a path of nodes that
 * does not already contain this node (a relay from itself, or a cycle A → B → A, would feed a channel its own
 * media). A loop is answered 508 Loop Detected (RFC 5842), a bad credential 403; each refusal is logged once.
 */
public final class RelayAuthority implements RelayGate {
    private static final Logger LOG = LoggerFactory.getLogger(RelayAuthority.class);

    private final RelayTokens tokens;
    private final String nodeId;

    public RelayAuthority(RelayTokens tokens, String nodeId) {
        this.tokens = tokens;
        this.nodeId = nodeId;
    }

    @Override
    public Optional<Refusal> refusal(ChannelRef channel, Optional<String> bearer, List<String> path) {
        if (path.isEmpty()) {
            return refuse(channel, new Refusal(400, "Bad Request", "The " + PATH_HEADER
                    + " header must name the nodes this relay request passed, the asking node last (e.g. nodeA,nodeB)."));
        }
        if (path.contains(nodeId)) {
            return refuse(channel, new Refusal(508, "Loop Detected", "This node (" + nodeId + ") is already on the relay path "
                    + String.join(",", path) + " of channel '" + channel.slug() + "': pulling it here would feed the channel its own media. "
                    + "Pull from the channel's origin instead."));
        }
        if (bearer.isEmpty()) {
            return refuse(channel, new Refusal(401, "Unauthorized", "A relay request needs Authorization: Bearer <relay token> made with the deployment's secret."));
        }
        Optional<String> bad = tokens.refusal(bearer.get(), channel.slug());
        return bad.isEmpty() ? Optional.empty() : refuse(channel, new Refusal(403, "Forbidden", bad.get()));
    }

    private static Optional<Refusal> refuse(ChannelRef channel, Refusal refusal) {
        LOG.warn("relay of channel {} refused ({}): {}", channel.slug(), refusal.status(), refusal.detail());
        return Optional.of(refusal);
    }
}
