package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.FOLLOWS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Which users follow which channels. */
public final class FollowRepository {

    /** Upper bound of {@link #listFollowedChannels(long)}, far above what one person follows by hand. */
    static final int MAX_FOLLOWED = 1000;

    private final DSLContext dsl;
    private final Clock clock;
    private final ChannelReader reader;

    FollowRepository(DSLContext dsl, Clock clock, ChannelReader reader) {
        this.dsl = dsl;
        this.clock = clock;
        this.reader = reader;
    }

    /**
     * Idempotent.
     *
     * @return true if the user was not following the channel before
     * @throws ReferenceNotFoundException field "userId" or "channelId"
     */
    public boolean follow(long userId, long channelId) {
        try {
            return SqlErrors.call(() -> dsl.insertInto(FOLLOWS)
                    .set(FOLLOWS.USER_ID, userId)
                    .set(FOLLOWS.CHANNEL_ID, channelId)
                    .set(FOLLOWS.CREATED_AT, Times.toDb(clock.instant()))
                    .onConflictDoNothing()
                    .execute() == 1);
        } catch (DuplicateException e) {
            // Two concurrent follows of the same pair can both pass the conflict check; one of them lost.
            return false;
        }
    }

    /** @return true if the user was following the channel */
    public boolean unfollow(long userId, long channelId) {
        return SqlErrors.call(() -> dsl.deleteFrom(FOLLOWS)
                .where(FOLLOWS.USER_ID.eq(userId)).and(FOLLOWS.CHANNEL_ID.eq(channelId))
                .execute() == 1);
    }

    /** The per-channel switch of live notices. @return false if the user does not follow the channel */
    public boolean setNotifyLive(long userId, long channelId, boolean on) {
        return SqlErrors.call(() -> dsl.update(FOLLOWS).set(FOLLOWS.NOTIFY_LIVE, on)
                .where(FOLLOWS.USER_ID.eq(userId)).and(FOLLOWS.CHANNEL_ID.eq(channelId)).execute() == 1);
    }

    /** Whether the user follows the channel with live notices on (false when not following at all). */
    public boolean notifyLive(long userId, long channelId) {
        return SqlErrors.call(() -> dsl.fetchExists(FOLLOWS, FOLLOWS.USER_ID.eq(userId).and(FOLLOWS.CHANNEL_ID.eq(channelId))
                .and(FOLLOWS.NOTIFY_LIVE.isTrue())));
    }

    /**
     * Followers to tell that the channel went live: notices on for the channel and globally, a verified address, and
     * an account that is not suspended.
     */
    public List<NoticeRecipient> liveNoticeRecipients(long channelId) {
        return SqlErrors.call(() -> dsl.select(USERS.ID, USERS.USERNAME, USERS.EMAIL).from(FOLLOWS)
                .join(USERS).on(USERS.ID.eq(FOLLOWS.USER_ID))
                .where(FOLLOWS.CHANNEL_ID.eq(channelId)).and(FOLLOWS.NOTIFY_LIVE.isTrue())
                .and(USERS.NOTIFY_LIVE.isTrue()).and(USERS.EMAIL_VERIFIED.isTrue()).and(USERS.SUSPENDED.isFalse())
                .orderBy(USERS.ID)
                .fetch(r -> new NoticeRecipient(r.value1(), r.value2(), r.value3())));
    }

    public boolean isFollowing(long userId, long channelId) {
        return SqlErrors.call(() -> dsl.fetchExists(FOLLOWS,
                FOLLOWS.USER_ID.eq(userId).and(FOLLOWS.CHANNEL_ID.eq(channelId))));
    }

    public long countFollowers(long channelId) {
        return SqlErrors.call(() -> (long) dsl.fetchCount(FOLLOWS, FOLLOWS.CHANNEL_ID.eq(channelId)));
    }

    /**
     * The channels the user follows, in listing order (live first, then viewers, then id), suspended ones included
     * (the record says so). At most {@value #MAX_FOLLOWED}; for paging use
     * {@link ChannelRepository#list(ChannelQuery)} with {@link ChannelQuery#withFollowedBy(Long)}.
     */
    public List<Channel> listFollowedChannels(long userId) {
        return SqlErrors.call(() -> reader.fetch(dsl, DSL.exists(DSL.selectOne().from(FOLLOWS)
                .where(FOLLOWS.CHANNEL_ID.eq(CHANNELS.ID)).and(FOLLOWS.USER_ID.eq(userId))), MAX_FOLLOWED));
    }
}
