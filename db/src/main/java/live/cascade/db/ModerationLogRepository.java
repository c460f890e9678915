package live.cascade.db;

import static live.cascade.db.jooq.Tables.MODERATION_ACTIONS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import live.cascade.db.jooq.tables.Users;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The moderation log of each channel. Repositories that change moderation state write their entry here in the same
 * transaction as the change, so the log never misses an action that took effect nor records one that did not.
 */
public final class ModerationLogRepository {

    /** Upper bound of one page. */
    public static final int MAX_PAGE = 1000;
    private static final int MAX_REASON = 500;
    private static final int MAX_DETAIL = 2000;

    private static final Users ACTOR = USERS.as("actor");
    private static final Users TARGET = USERS.as("target");

    private final DSLContext dsl;
    private final Clock clock;

    ModerationLogRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** What one log entry says; the time is taken when it is written. */
    record Entry(Long channelId, Long actorId, ModerationActionType action, Long targetUserId, Long targetMessageId,
                 String reason, String detail) {
        Entry {
            Objects.requireNonNull(action, "action");
        }
    }

    /** Writes {@code entry} with {@code ctx}, which is the caller's transaction. */
    static void write(DSLContext ctx, Instant at, Entry entry) {
        ctx.insertInto(MODERATION_ACTIONS)
                .set(MODERATION_ACTIONS.CHANNEL_ID, entry.channelId())
                .set(MODERATION_ACTIONS.ACTOR_ID, entry.actorId())
                .set(MODERATION_ACTIONS.ACTION, entry.action().code())
                .set(MODERATION_ACTIONS.TARGET_USER_ID, entry.targetUserId())
                .set(MODERATION_ACTIONS.TARGET_MESSAGE_ID, entry.targetMessageId())
                .set(MODERATION_ACTIONS.REASON, cut(entry.reason(), MAX_REASON))
                .set(MODERATION_ACTIONS.DETAIL, cut(entry.detail(), MAX_DETAIL))
                .set(MODERATION_ACTIONS.CREATED_AT, Times.toDb(at))
                .execute();
    }

    /**
     * The newest entries of the channel first, at most {@code limit} (1-{@value #MAX_PAGE}), older than
     * {@code beforeId} when it is not null.
     */
    public List<ModerationAction> list(long channelId, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        }
        return list(MODERATION_ACTIONS.CHANNEL_ID.eq(channelId), beforeId, limit);
    }

    /** The site-wide entries (role changes), newest first, as {@link #list(long, Long, int)}. */
    public List<ModerationAction> listSiteWide(Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        }
        return list(MODERATION_ACTIONS.CHANNEL_ID.isNull(), beforeId, limit);
    }

    private List<ModerationAction> list(Condition scope, Long beforeId, int limit) {
        Condition where = scope;
        if (beforeId != null) {
            where = where.and(MODERATION_ACTIONS.ID.lt(beforeId));
        }
        Condition cond = where;
        return SqlErrors.call(() -> dsl.select(MODERATION_ACTIONS.fields()).select(ACTOR.USERNAME, TARGET.USERNAME)
                .from(MODERATION_ACTIONS)
                .leftJoin(ACTOR).on(ACTOR.ID.eq(MODERATION_ACTIONS.ACTOR_ID))
                .leftJoin(TARGET).on(TARGET.ID.eq(MODERATION_ACTIONS.TARGET_USER_ID))
                .where(cond)
                .orderBy(MODERATION_ACTIONS.ID.desc())
                .limit(limit)
                .fetch(ModerationLogRepository::toAction));
    }

    /** Writes one entry on its own, for actions whose change lives outside this module. */
    public void record(long channelId, Long actorId, ModerationActionType action, Long targetUserId,
                       Long targetMessageId, String reason, String detail) {
        SqlErrors.call(() -> {
            write(dsl, clock.instant(), new Entry(channelId, actorId, action, targetUserId, targetMessageId, reason,
                    detail));
            return null;
        });
    }

    private static ModerationAction toAction(Record r) {
        return new ModerationAction(r.get(MODERATION_ACTIONS.ID), r.get(MODERATION_ACTIONS.CHANNEL_ID),
                ModerationActionType.fromDb(r.get(MODERATION_ACTIONS.ACTION)), r.get(MODERATION_ACTIONS.ACTOR_ID),
                r.get(ACTOR.USERNAME), r.get(MODERATION_ACTIONS.TARGET_USER_ID), r.get(TARGET.USERNAME),
                r.get(MODERATION_ACTIONS.TARGET_MESSAGE_ID), r.get(MODERATION_ACTIONS.REASON),
                r.get(MODERATION_ACTIONS.DETAIL), Times.fromDb(r.get(MODERATION_ACTIONS.CREATED_AT)));
    }

    static String cut(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        // Don't leave half of a surrogate pair at the end.
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
