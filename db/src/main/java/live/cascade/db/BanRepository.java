package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNEL_BANS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Bans (permanent) and timeouts (with an end) of users in channels' chats. A user has at most one row per channel: a
 * new ban or timeout replaces the previous one. Every change is logged in the same transaction.
 */
public final class BanRepository {

    /** Upper bound of {@link #listActive(long, Instant)}. */
    static final int MAX_LISTED = 1000;
    private static final int MAX_REASON = 500;

    private final DSLContext dsl;
    private final Clock clock;

    BanRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Bans {@code userId} from the channel's chat for {@code duration} from now, or for good when it is null.
     *
     * @throws ReferenceNotFoundException field "userId" or "channelId"
     */
    public Ban ban(long channelId, long userId, Long bannedBy, String reason, Duration duration) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive");
        }
        String why = ModerationLogRepository.cut(reason, MAX_REASON);
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            Instant expires = duration == null ? null : now.plus(duration);
            ctx.insertInto(CHANNEL_BANS)
                    .set(CHANNEL_BANS.CHANNEL_ID, channelId)
                    .set(CHANNEL_BANS.USER_ID, userId)
                    .set(CHANNEL_BANS.BANNED_BY, bannedBy)
                    .set(CHANNEL_BANS.REASON, why)
                    .set(CHANNEL_BANS.CREATED_AT, Times.toDb(now))
                    .set(CHANNEL_BANS.EXPIRES_AT, Times.toDb(expires))
                    .onConflict(CHANNEL_BANS.CHANNEL_ID, CHANNEL_BANS.USER_ID)
                    .doUpdate()
                    .set(CHANNEL_BANS.BANNED_BY, bannedBy)
                    .set(CHANNEL_BANS.REASON, why)
                    .set(CHANNEL_BANS.CREATED_AT, Times.toDb(now))
                    .set(CHANNEL_BANS.EXPIRES_AT, Times.toDb(expires))
                    .execute();
            ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, bannedBy,
                    duration == null ? ModerationActionType.USER_BANNED : ModerationActionType.USER_TIMED_OUT,
                    userId, null, why, duration == null ? "permanent" : duration.toSeconds() + " s"));
            return read(ctx, key(channelId, userId)).orElseThrow();
        }));
    }

    /**
     * Lifts the user's ban or timeout in the channel, if one is in force, and logs it.
     *
     * @return false if the user was not banned or timed out there
     */
    public boolean lift(long channelId, long userId, Long liftedBy) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            boolean lifted = ctx.deleteFrom(CHANNEL_BANS)
                    .where(key(channelId, userId)).and(active(now))
                    .execute() == 1;
            if (lifted) {
                ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, liftedBy,
                        ModerationActionType.USER_UNBANNED, userId, null, null, null));
            }
            return lifted;
        }));
    }

    /** The ban or timeout of the user in the channel that is in force at {@code now}, if any. */
    public Optional<Ban> findActive(long channelId, long userId, Instant now) {
        return SqlErrors.call(() -> read(dsl, key(channelId, userId).and(active(now))));
    }

    /** Bans and timeouts in force at {@code now}, newest first (at most {@value #MAX_LISTED}). */
    public List<Ban> listActive(long channelId, Instant now) {
        return SqlErrors.call(() -> dsl.select(CHANNEL_BANS.fields()).select(USERS.USERNAME)
                .from(CHANNEL_BANS).join(USERS).on(USERS.ID.eq(CHANNEL_BANS.USER_ID))
                .where(CHANNEL_BANS.CHANNEL_ID.eq(channelId)).and(active(now))
                .orderBy(CHANNEL_BANS.CREATED_AT.desc(), CHANNEL_BANS.USER_ID.asc())
                .limit(MAX_LISTED)
                .fetch(BanRepository::toBan));
    }

    /** Removes timeouts that ended at or before {@code now}. @return rows removed */
    public int deleteExpired(Instant now) {
        return SqlErrors.call(() -> dsl.deleteFrom(CHANNEL_BANS)
                .where(CHANNEL_BANS.EXPIRES_AT.le(Times.toDb(now))).execute());
    }

    private static Condition key(long channelId, long userId) {
        return CHANNEL_BANS.CHANNEL_ID.eq(channelId).and(CHANNEL_BANS.USER_ID.eq(userId));
    }

    private static Condition active(Instant now) {
        return CHANNEL_BANS.EXPIRES_AT.isNull().or(CHANNEL_BANS.EXPIRES_AT.gt(Times.toDb(now)));
    }

    private static Optional<Ban> read(DSLContext ctx, Condition where) {
        return ctx.select(CHANNEL_BANS.fields()).select(USERS.USERNAME)
                .from(CHANNEL_BANS).join(USERS).on(USERS.ID.eq(CHANNEL_BANS.USER_ID))
                .where(where)
                .fetchOptional(BanRepository::toBan);
    }

    private static Ban toBan(Record r) {
        return new Ban(r.get(CHANNEL_BANS.CHANNEL_ID), r.get(CHANNEL_BANS.USER_ID), r.get(USERS.USERNAME),
                r.get(CHANNEL_BANS.BANNED_BY), r.get(CHANNEL_BANS.REASON), Times.fromDb(r.get(CHANNEL_BANS.CREATED_AT)),
                Times.fromDb(r.get(CHANNEL_BANS.EXPIRES_AT)));
    }
}
