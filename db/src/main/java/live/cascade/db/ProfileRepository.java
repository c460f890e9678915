package live.cascade.db;

import static live.cascade.db.jooq.Tables.DONATION_ADDRESSES;
import static live.cascade.db.jooq.Tables.PROFILES;
import static live.cascade.db.jooq.Tables.PROFILE_TOP_FRIENDS;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import live.cascade.db.jooq.tables.records.ProfilesRecord;
import org.jooq.DSLContext;

/** Public profiles with their ordered top friends and donation addresses. */
public final class ProfileRepository {

    private final DSLContext dsl;
    private final Clock clock;

    ProfileRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** The saved profile, or {@link Profile#empty(long)} if none was saved (also for an unknown user id). */
    public Profile get(long userId) {
        return SqlErrors.call(() -> read(dsl, userId));
    }

    /**
     * Saves the whole profile, replacing its top friends and donation addresses, in one transaction: on any
     * failure nothing of it is written.
     *
     * @return the profile as stored
     * @throws IllegalArgumentException   more than {@link Profile#MAX_TOP_FRIENDS} top friends
     * @throws ReferenceNotFoundException field "userId", "topFriendIds" or "featuredChannelId"
     * @throws DuplicateException         field "topFriendIds" if a friend appears twice
     */
    public Profile put(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        if (profile.topFriendIds().size() > Profile.MAX_TOP_FRIENDS) {
            throw new IllegalArgumentException("at most " + Profile.MAX_TOP_FRIENDS + " top friends, got "
                    + profile.topFriendIds().size());
        }
        long userId = profile.userId();
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            var now = Times.toDb(clock.instant());
            ctx.insertInto(PROFILES)
                    .set(PROFILES.USER_ID, userId)
                    .set(PROFILES.BIO, profile.bio())
                    .set(PROFILES.AVATAR_URL, profile.avatarUrl())
                    .set(PROFILES.BANNER_URL, profile.bannerUrl())
                    .set(PROFILES.FEATURED_CHANNEL_ID, profile.featuredChannelId())
                    .set(PROFILES.UPDATED_AT, now)
                    .onConflict(PROFILES.USER_ID)
                    .doUpdate()
                    .set(PROFILES.BIO, profile.bio())
                    .set(PROFILES.AVATAR_URL, profile.avatarUrl())
                    .set(PROFILES.BANNER_URL, profile.bannerUrl())
                    .set(PROFILES.FEATURED_CHANNEL_ID, profile.featuredChannelId())
                    .set(PROFILES.UPDATED_AT, now)
                    .execute();
            ctx.deleteFrom(PROFILE_TOP_FRIENDS).where(PROFILE_TOP_FRIENDS.USER_ID.eq(userId)).execute();
            List<Long> friends = profile.topFriendIds();
            if (!friends.isEmpty()) {
                var insert = ctx.insertInto(PROFILE_TOP_FRIENDS, PROFILE_TOP_FRIENDS.USER_ID,
                        PROFILE_TOP_FRIENDS.SLOT, PROFILE_TOP_FRIENDS.FRIEND_ID);
                for (int slot = 0; slot < friends.size(); slot++) {
                    insert = insert.values(userId, slot, Objects.requireNonNull(friends.get(slot), "friend id"));
                }
                insert.execute();
            }
            ctx.deleteFrom(DONATION_ADDRESSES).where(DONATION_ADDRESSES.USER_ID.eq(userId)).execute();
            List<DonationAddress> addresses = profile.donationAddresses();
            if (!addresses.isEmpty()) {
                var insert = ctx.insertInto(DONATION_ADDRESSES, DONATION_ADDRESSES.USER_ID, DONATION_ADDRESSES.SLOT,
                        DONATION_ADDRESSES.CURRENCY, DONATION_ADDRESSES.ADDRESS, DONATION_ADDRESSES.NOTE);
                for (int slot = 0; slot < addresses.size(); slot++) {
                    DonationAddress a = addresses.get(slot);
                    insert = insert.values(userId, slot, a.currency(), a.address(), a.note());
                }
                insert.execute();
            }
            return read(ctx, userId);
        }));
    }

    private static Profile read(DSLContext ctx, long userId) {
        ProfilesRecord row = ctx.selectFrom(PROFILES).where(PROFILES.USER_ID.eq(userId)).fetchOne();
        if (row == null) {
            return Profile.empty(userId);
        }
        List<Long> friends = ctx.select(PROFILE_TOP_FRIENDS.FRIEND_ID).from(PROFILE_TOP_FRIENDS)
                .where(PROFILE_TOP_FRIENDS.USER_ID.eq(userId))
                .orderBy(PROFILE_TOP_FRIENDS.SLOT)
                .fetch(PROFILE_TOP_FRIENDS.FRIEND_ID);
        List<DonationAddress> addresses = ctx.select(DONATION_ADDRESSES.CURRENCY, DONATION_ADDRESSES.ADDRESS,
                        DONATION_ADDRESSES.NOTE)
                .from(DONATION_ADDRESSES)
                .where(DONATION_ADDRESSES.USER_ID.eq(userId))
                .orderBy(DONATION_ADDRESSES.SLOT)
                .fetch(r -> new DonationAddress(r.value1(), r.value2(), r.value3()));
        return new Profile(userId, row.getBio(), row.getAvatarUrl(), row.getBannerUrl(), row.getFeaturedChannelId(),
                friends, addresses);
    }
}
