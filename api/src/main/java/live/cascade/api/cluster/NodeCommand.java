package live.cascade.api.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;

/**
 * Something every node must do about what it holds right now (open chat sockets, a live publisher), sent through
 * {@link NodeCommands}. Commands say what happened, not how a node implements it, and are small enough to cross Redis
 * as one JSON line; {@code type} names the kind on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = NodeCommand.RevokeUser.class, name = "revoke_user"),
        @JsonSubTypes.Type(value = NodeCommand.RevokeSession.class, name = "revoke_session"),
        @JsonSubTypes.Type(value = NodeCommand.SuspendChannel.class, name = "suspend_channel"),
        @JsonSubTypes.Type(value = NodeCommand.EndBroadcast.class, name = "end_broadcast"),
        @JsonSubTypes.Type(value = NodeCommand.RevokeModerator.class, name = "revoke_moderator"),
        @JsonSubTypes.Type(value = NodeCommand.RoleChanged.class, name = "role_changed"),
        @JsonSubTypes.Type(value = NodeCommand.DrainNode.class, name = "drain_node")})
public sealed interface NodeCommand {

    /** Why a user's sessions stopped counting; decides the words the user reads, not what is closed. */
    enum Revocation {
        SUSPENDED, LOGGED_OUT_EVERYWHERE, PASSWORD_CHANGED
    }

    /** Why a broadcast is ended from outside its publisher. */
    enum BroadcastEnd {
        KEY_ROTATED, USER_SUSPENDED, CHANNEL_SUSPENDED, CHANNEL_DELETED,
        /** The owner or an administrator pressed "stop stream" on a node other than the channel's origin. */
        STOPPED
    }

    /**
     * Some or all of a user's login sessions ended (or the account was suspended): each node re-checks the standing
     * of every socket that user holds there and closes those whose session is gone or whose account is suspended. A
     * re-check rather than "close all", so the session a password change issues a moment later is not hit.
     */
    record RevokeUser(long userId, Revocation reason) implements NodeCommand {
        public RevokeUser {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** One login session ended (logout): whatever is open with it closes. {@code tokenHash}: SHA-256 hex, never the token. */
    record RevokeSession(String tokenHash) implements NodeCommand {
        public RevokeSession {
            Objects.requireNonNull(tokenHash, "tokenHash");
        }
    }

    /** An administrator suspended the channel: its chat sockets close and its broadcast ends. */
    record SuspendChannel(long channelId) implements NodeCommand {
    }

    /** The channel's broadcast ends on whichever node holds its publisher. */
    record EndBroadcast(long channelId, BroadcastEnd reason) implements NodeCommand {
        public EndBroadcast {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The user no longer moderates the channel: their open sockets there are told, and lose the moderator tools. */
    record RevokeModerator(long channelId, long userId) implements NodeCommand {
    }

    /** An administrator changed the user's site role: their open sockets are told what they may moderate now. */
    record RoleChanged(long userId) implements NodeCommand {
    }

    /** An administrator asked node {@code nodeId} to drain: take no new sessions, move its sessions away, exit. */
    record DrainNode(String nodeId) implements NodeCommand {
        public DrainNode {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }
}
