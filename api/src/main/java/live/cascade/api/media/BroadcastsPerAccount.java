package live.cascade.api.media;

import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.PublishQuota;

import java.util.Optional;

/**
 * The cap on broadcasts one account has live at once ({@code --broadcasts-per-account}), over every node sharing the
 * database: each broadcast costs an HLS tap and, with a ladder, its encoders. Counted from the stream sessions the
 * nodes have recorded live, so two publishes of one account in the same instant can both pass; the cap is about
 * sustained use, not a race. Administrators are not limited. A publisher reconnecting to its own channel replaces
 * that channel's broadcast, so the channel itself is not counted.
 */
public final class BroadcastsPerAccount implements PublishQuota {
    private final Database db;
    private final int cap;
    private final Refusals refusals;

    public BroadcastsPerAccount(Database db, int cap, Refusals refusals) {
        this.db = db;
        this.cap = cap;
        this.refusals = refusals;
    }

    @Override
    public Optional<String> refusal(ChannelRef channel) {
        Optional<Channel> c = db.channels().findById(channel.id());
        if (c.isEmpty()) return Optional.empty(); // deleted meanwhile: the publish fails on its own terms
        long owner = c.get().ownerId();
        if (db.users().findById(owner).map(u -> u.isAdmin()).orElse(false)) return Optional.empty();
        int live = db.streamSessions().countLiveOwnedBy(owner, channel.id());
        if (live < cap) return Optional.empty();
        refusals.count(RefusalReason.BROADCASTS_PER_ACCOUNT);
        return Optional.of("The account that owns channel '" + channel.slug() + "' already has " + live + " other broadcast"
                + (live == 1 ? "" : "s") + " live, the most this server allows at once (" + cap
                + "); end one of them, then go live again.");
    }
}
