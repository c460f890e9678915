package live.cascade.api.media;

import live.cascade.api.auth.StreamKeyVault;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;

import java.util.Optional;

/** WHIP finds a channel by the hash of its stream key; WHEP by slug. A suspended owner suspends the channel. */
public final class DbChannelDirectory implements ChannelDirectory {
    private final Database db;

    public DbChannelDirectory(Database db) {
        this.db = db;
    }

    @Override
    public Optional<PublishTarget> byStreamKey(String streamKey) {
        return db.channels().findByStreamKeyHash(StreamKeyVault.hash(streamKey)).map(this::target);
    }

    @Override
    public Optional<PublishTarget> bySlug(String slug) {
        return db.channels().findBySlug(slug).map(this::target);
    }

    private PublishTarget target(Channel c) {
        boolean ownerSuspended = db.users().findById(c.ownerId()).map(u -> u.suspended()).orElse(true);
        return new PublishTarget(new ChannelRef(c.id(), c.slug()), c.suspended() || ownerSuspended);
    }
}
