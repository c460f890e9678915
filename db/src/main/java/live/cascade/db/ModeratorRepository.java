package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNEL_MODERATORS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Record;

/** Who moderates which channel. Appointments and removals are logged in the same transaction. */
public final class ModeratorRepository {

    /** Upper bound of {@link #list(long)}, far above the moderators one channel appoints by hand. */
    static final int MAX_LISTED = 1000;

    private final DSLContext dsl;
    private final Clock clock;

    ModeratorRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Appoints {@code userId}; idempotent (a repeat is not logged).
     *
     * @return true if the user was not a moderator before
     * @throws ReferenceNotFoundException field "userId" or "channelId"
     */
    public boolean add(long channelId, long userId, Long appointedBy) {
        try {
            return SqlErrors.call(() -> dsl.transactionResult(tx -> {
                DSLContext ctx = tx.dsl();
                Instant now = clock.instant();
                boolean added = ctx.insertInto(CHANNEL_MODERATORS)
                        .set(CHANNEL_MODERATORS.CHANNEL_ID, channelId)
                        .set(CHANNEL_MODERATORS.USER_ID, userId)
                        .set(CHANNEL_MODERATORS.APPOINTED_BY, appointedBy)
                        .set(CHANNEL_MODERATORS.CREATED_AT, Times.toDb(now))
                        .onConflictDoNothing()
                        .execute() == 1;
                if (added) {
                    ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, appointedBy,
                            ModerationActionType.MODERATOR_ADDED, userId, null, null, null));
                }
                return added;
            }));
        } catch (DuplicateException e) {
            // Two concurrent appointments of the same user can both pass the conflict check; one of them lost.
            return false;
        }
    }

    /** @return true if the user was a moderator of the channel */
    public boolean remove(long channelId, long userId, Long removedBy) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            boolean removed = ctx.deleteFrom(CHANNEL_MODERATORS)
                    .where(CHANNEL_MODERATORS.CHANNEL_ID.eq(channelId)).and(CHANNEL_MODERATORS.USER_ID.eq(userId))
                    .execute() == 1;
            if (removed) {
                ModerationLogRepository.write(ctx, clock.instant(), new ModerationLogRepository.Entry(channelId,
                        removedBy, ModerationActionType.MODERATOR_REMOVED, userId, null, null, null));
            }
            return removed;
        }));
    }

    public boolean isModerator(long channelId, long userId) {
        return SqlErrors.call(() -> dsl.fetchExists(CHANNEL_MODERATORS,
                CHANNEL_MODERATORS.CHANNEL_ID.eq(channelId).and(CHANNEL_MODERATORS.USER_ID.eq(userId))));
    }

    /** The channel's moderators, longest-serving first (at most {@value #MAX_LISTED}). */
    public List<Moderator> list(long channelId) {
        return SqlErrors.call(() -> dsl.select(CHANNEL_MODERATORS.fields()).select(USERS.USERNAME)
                .from(CHANNEL_MODERATORS).join(USERS).on(USERS.ID.eq(CHANNEL_MODERATORS.USER_ID))
                .where(CHANNEL_MODERATORS.CHANNEL_ID.eq(channelId))
                .orderBy(CHANNEL_MODERATORS.CREATED_AT.asc(), CHANNEL_MODERATORS.USER_ID.asc())
                .limit(MAX_LISTED)
                .fetch(ModeratorRepository::toModerator));
    }

    private static Moderator toModerator(Record r) {
        return new Moderator(r.get(CHANNEL_MODERATORS.CHANNEL_ID), r.get(CHANNEL_MODERATORS.USER_ID),
                r.get(USERS.USERNAME), r.get(CHANNEL_MODERATORS.APPOINTED_BY),
                Times.fromDb(r.get(CHANNEL_MODERATORS.CREATED_AT)));
    }
}
