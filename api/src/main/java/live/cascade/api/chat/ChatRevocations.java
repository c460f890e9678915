package live.cascade.api.chat;

import live.cascade.api.auth.Principal;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.moderation.ChannelRights;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the chat of this node does about a revocation: closes the sockets it no longer stands behind, each with a
 * close code the web app explains (docs/api.md), and tells a dismissed moderator's sockets. Sockets of other nodes
 * are their nodes' business: every node gets the same command.
 */
final class ChatRevocations implements NodeCommands.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRevocations.class);

    /** This node's chat sockets, from authentication on, and its cache of channels for new ones. */
    interface OpenSockets {
        List<ChatSocket> matching(Predicate<ChatSocket> which);

        void forgetChannel(long channelId);
    }

    private final OpenSockets sockets;
    private final Database db;
    private final ChannelRights rights;
    private final Clock clock;

    ChatRevocations(OpenSockets sockets, Database db, ChannelRights rights, Clock clock) {
        this.sockets = sockets;
        this.db = db;
        this.rights = rights;
        this.clock = clock;
    }

    @Override
    public void handle(NodeCommand command) {
        switch (command) {
            case NodeCommand.RevokeUser r -> revokeUser(r);
            case NodeCommand.RevokeSession r -> {
                List<ChatSocket> hit = sockets.matching(s -> s.principal != null && r.tokenHash().equals(s.principal.tokenHash()));
                for (ChatSocket s : hit) s.fail(ChatError.SESSION_ENDED, "You logged out; log in again to chat.");
                log(command, hit.size());
            }
            case NodeCommand.SuspendChannel r -> {
                sockets.forgetChannel(r.channelId());
                List<ChatSocket> hit = sockets.matching(s -> s.channelId == r.channelId());
                for (ChatSocket s : hit) s.fail(ChatError.CHANNEL_SUSPENDED, "This channel was suspended by the site's administrators.");
                log(command, hit.size());
            }
            case NodeCommand.RevokeModerator r -> tellRights(r,
                    sockets.matching(s -> s.channelId == r.channelId() && s.userId() == r.userId()));
            case NodeCommand.RoleChanged r -> tellRights(r, sockets.matching(s -> s.userId() == r.userId()));
            case NodeCommand.EndBroadcast ignored -> {
                // The media plane's business.
            }
            case NodeCommand.DrainNode ignored -> {
                // The fleet's business: chat sockets move when the node stops.
            }
        }
    }

    /**
     * Re-checks every socket of this node: its channel (gone or suspended), its session and its account, one query per
     * channel and per session. Only after the link between nodes was down, so its cost is rare.
     */
    @Override
    public void missedCommands() {
        Map<Long, Optional<Channel>> channels = new HashMap<>();
        Map<String, Standing> standing = new HashMap<>();
        int closed = 0;
        for (ChatSocket s : sockets.matching(x -> true)) {
            Optional<Channel> c = channels.computeIfAbsent(s.channelId, db.channels()::findById);
            if (c.isEmpty()) {
                s.fail(ChatError.NOT_FOUND, "This channel no longer exists.");
                closed++;
            } else if (c.get().suspended()) {
                sockets.forgetChannel(s.channelId);
                s.fail(ChatError.CHANNEL_SUSPENDED, "This channel was suspended by the site's administrators.");
                closed++;
            } else if (s.principal != null) {
                Standing now = standing.computeIfAbsent(s.principal.tokenHash(),
                        h -> Standing.of(db, h, s.userId(), clock.instant()));
                if (now instanceof Standing.Revoked r) {
                    s.fail(r.error(), r.message());
                    closed++;
                }
            }
        }
        if (closed > 0) LOG.info("closed {} chat socket(s) revoked while the link between nodes was down", closed);
    }

    /** Re-checks each of the user's sockets: a password change ends the old sessions but not the one it issues. */
    private void revokeUser(NodeCommand.RevokeUser r) {
        List<ChatSocket> mine = sockets.matching(s -> s.userId() == r.userId());
        if (mine.isEmpty()) return;
        Map<String, Standing> standing = new HashMap<>();
        int closed = 0;
        for (ChatSocket s : mine) {
            Standing now = standing.computeIfAbsent(s.principal.tokenHash(), h -> Standing.of(db, h, r.userId(), clock.instant()));
            if (!(now instanceof Standing.Revoked revoked)) continue;
            closed++;
            if (revoked.error() == ChatError.SUSPENDED) {
                s.fail(ChatError.SUSPENDED, revoked.message());
            } else {
                s.fail(ChatError.SESSION_ENDED, switch (r.reason()) {
                    case PASSWORD_CHANGED -> "Your password was changed, which ends every login session; log in again to chat.";
                    case LOGGED_OUT_EVERYWHERE, SUSPENDED -> "You were logged out everywhere; log in again to chat.";
                });
            }
        }
        log(r, closed);
    }

    /** Sends each socket whether its user may moderate its channel now, from the account and channel as they are. */
    private void tellRights(NodeCommand command, List<ChatSocket> theirs) {
        if (theirs.isEmpty()) return;
        Map<Long, Optional<Channel>> channels = new HashMap<>();
        Map<Long, Optional<live.cascade.db.User>> users = new HashMap<>();
        for (ChatSocket s : theirs) {
            Optional<Channel> channel = channels.computeIfAbsent(s.channelId, db.channels()::findById);
            // Still true for the owner or an administrator: being dismissed as a moderator leaves those rights.
            boolean may = channel.isPresent() && users.computeIfAbsent(s.userId(), db.users()::findById)
                    .map(u -> rights.canModerate(channel.get(), new Principal(u, s.principal.tokenHash(), s.principal.viaCookie())))
                    .orElse(false);
            s.send(new ServerFrame.RightsChanged(s.channelId, may));
        }
        log(command, theirs.size());
    }

    private static void log(NodeCommand command, int sockets) {
        if (sockets > 0) LOG.info("{}: {} chat socket(s) on this node", command, sockets);
    }
}
