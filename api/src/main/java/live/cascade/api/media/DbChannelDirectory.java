package live.cascade.api.media;

import live.cascade.api.auth.StreamKeyVault;
import live.cascade.api.safety.TermsGate;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.User;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;

import java.util.Optional;

/** WHIP finds a channel by the hash of its stream key; WHEP by slug. A suspended owner suspends the channel. */
public final class DbChannelDirectory implements ChannelDirectory {
    private final Database db;
    private final boolean verifiedToPublish;

    /** @param verifiedToPublish whether an owner must have verified their e-mail address to go live (mail is on) */
    public DbChannelDirectory(Database db, boolean verifiedToPublish) {
        this.db = db;
        this.verifiedToPublish = verifiedToPublish;
    }

    @Override
    public Optional<PublishTarget> byStreamKey(String streamKey) {
        return db.channels().findByStreamKeyHash(StreamKeyVault.hash(streamKey)).map(c -> target(c, true));
    }

    @Override
    public Optional<PublishTarget> bySlug(String slug) {
        return db.channels().findBySlug(slug).map(c -> target(c, false));
    }

    /**
     * @param publishing a stream key's lookup: going live also waits for the owner to accept the site's current Terms
     *                   (TermsGate), asked only then, as WHEP's lookups by slug never need it
     */
    private PublishTarget target(Channel c, boolean publishing) {
        Optional<User> owner = db.users().findById(c.ownerId());
        boolean ownerSuspended = owner.map(User::suspended).orElse(true);
        Optional<String> refusal = verifiedToPublish && owner.isPresent() && !owner.get().emailVerified()
                ? Optional.of("The owner of channel '" + c.slug() + "' has not verified their e-mail address yet: follow the link in "
                        + "the verification mail (or ask for a new one with POST /api/auth/verify-email/resend), then go live.")
                : Optional.empty();
        if (refusal.isEmpty() && publishing && owner.isPresent()) {
            refusal = TermsGate.refusal(db, owner.get()).map(t -> "The owner of channel '" + c.slug() + "' cannot go live yet. " + t);
        }
        return new PublishTarget(new ChannelRef(c.id(), c.slug()), c.suspended() || ownerSuspended, refusal);
    }
}
