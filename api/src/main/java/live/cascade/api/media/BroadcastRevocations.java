package live.cascade.api.media;

import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.signaling.session.BroadcastService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a broadcast this node holds when a command says so (a rotated key, a suspension): the publisher's WHIP session
 * and its viewers' WHEP sessions close, as with the owner's "stop stream". A node that does not hold the channel's
 * broadcast does nothing; the one that does acts.
 */
public final class BroadcastRevocations implements NodeCommands.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRevocations.class);
    private final BroadcastService broadcasts;

    public BroadcastRevocations(BroadcastService broadcasts) {
        this.broadcasts = broadcasts;
    }

    @Override
    public void handle(NodeCommand command) {
        long channelId = switch (command) {
            case NodeCommand.EndBroadcast e -> e.channelId();
            case NodeCommand.SuspendChannel s -> s.channelId();
            case NodeCommand.RevokeUser ignored -> 0;
            case NodeCommand.RevokeSession ignored -> 0;
            case NodeCommand.RevokeModerator ignored -> 0;
            case NodeCommand.RoleChanged ignored -> 0;
            case NodeCommand.DrainNode ignored -> 0;
        };
        if (channelId != 0 && broadcasts.stop(channelId)) LOG.info("{}: ended the broadcast on this node", command);
    }
}
