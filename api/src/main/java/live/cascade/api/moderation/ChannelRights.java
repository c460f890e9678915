package live.cascade.api.moderation;

import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;

/**
 * Who may moderate a channel's chat: its owner, administrators, and the users the owner (or an administrator)
 * appointed. Only the owner and administrators appoint moderators. Read per request, so an appointment or removal
 * counts at once on every node.
 */
public final class ChannelRights {
    private final Database db;

    public ChannelRights(Database db) {
        this.db = db;
    }

    public boolean canModerate(Channel channel, Principal p) {
        if (p == null) return false;
        return isOwnerOrAdmin(channel, p) || db.moderators().isModerator(channel.id(), p.id());
    }

    public static boolean isOwnerOrAdmin(Channel channel, Principal p) {
        return p != null && (p.id() == channel.ownerId() || p.isAdmin());
    }

    /** 403 unless {@code p} may moderate the channel. */
    public void requireModerator(Channel channel, Principal p) {
        if (!canModerate(channel, p)) {
            throw ApiException.forbidden("Only the owner, the moderators of channel '" + channel.slug() + "' or an administrator can do this.");
        }
    }

    /** 403 unless {@code p} owns the channel or is an administrator. */
    public void requireOwnerOrAdmin(Channel channel, Principal p) {
        if (!isOwnerOrAdmin(channel, p)) {
            throw ApiException.forbidden("Only the owner of channel '" + channel.slug() + "' or an administrator can do this.");
        }
    }
}
