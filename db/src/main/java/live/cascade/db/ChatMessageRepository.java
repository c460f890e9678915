package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHAT_MESSAGES;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Chat messages of channels. A deleted message keeps its row (see V2__chat_moderation.sql) but leaves history. */
public final class ChatMessageRepository {

    public static final int MAX_PAGE = 1000;

    private final DSLContext dsl;
    private final Clock clock;

    ChatMessageRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Stores a message posted now. {@code text} must already be checked by the caller (at most
     * {@value ChatSettings#MAX_MESSAGE_LENGTH} characters).
     *
     * @throws ReferenceNotFoundException field "channelId" or "userId"
     */
    public ChatMessage post(long channelId, long userId, String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > ChatSettings.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("text longer than " + ChatSettings.MAX_MESSAGE_LENGTH);
        }
        return SqlErrors.call(() -> {
            long id = dsl.insertInto(CHAT_MESSAGES)
                    .set(CHAT_MESSAGES.CHANNEL_ID, channelId)
                    .set(CHAT_MESSAGES.USER_ID, userId)
                    .set(CHAT_MESSAGES.BODY, text)
                    .set(CHAT_MESSAGES.CREATED_AT, Times.toDb(clock.instant()))
                    .returningResult(CHAT_MESSAGES.ID)
                    .fetchSingle()
                    .value1();
            return read(dsl, CHAT_MESSAGES.ID.eq(id)).orElseThrow();
        });
    }

    /** Deleted or not. */
    public Optional<ChatMessage> findById(long id) {
        return SqlErrors.call(() -> read(dsl, CHAT_MESSAGES.ID.eq(id)));
    }

    /**
     * The channel's messages that are not deleted, newest first: at most {@code limit} (1-{@value #MAX_PAGE}), with
     * ids below {@code beforeId} when it is not null.
     */
    public List<ChatMessage> history(long channelId, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        }
        Condition where = CHAT_MESSAGES.CHANNEL_ID.eq(channelId).and(CHAT_MESSAGES.DELETED_AT.isNull());
        if (beforeId != null) {
            where = where.and(CHAT_MESSAGES.ID.lt(beforeId));
        }
        Condition cond = where;
        return SqlErrors.call(() -> dsl.select(CHAT_MESSAGES.fields()).select(USERS.USERNAME)
                .from(CHAT_MESSAGES).join(USERS).on(USERS.ID.eq(CHAT_MESSAGES.USER_ID))
                .where(cond)
                .orderBy(CHAT_MESSAGES.ID.desc())
                .limit(limit)
                .fetch(ChatMessageRepository::toMessage));
    }

    /** When the user last posted in the channel (deleted messages count), for slow mode. */
    public Optional<Instant> lastPostedAt(long channelId, long userId) {
        return SqlErrors.call(() -> dsl.select(CHAT_MESSAGES.CREATED_AT).from(CHAT_MESSAGES)
                .where(CHAT_MESSAGES.USER_ID.eq(userId)).and(CHAT_MESSAGES.CHANNEL_ID.eq(channelId))
                .orderBy(CHAT_MESSAGES.ID.desc())
                .limit(1)
                .fetchOptional(r -> Times.fromDb(r.value1())));
    }

    /**
     * Deletes a message of {@code channelId} on behalf of {@code actorId} and logs it (with the text, so the log
     * still shows what was removed), in one transaction.
     *
     * @return the message as it was before, or empty if the channel has no such message or it was already deleted
     */
    public Optional<ChatMessage> delete(long channelId, long messageId, long actorId, String reason) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            int n = ctx.update(CHAT_MESSAGES)
                    .set(CHAT_MESSAGES.DELETED_AT, Times.toDb(now))
                    .set(CHAT_MESSAGES.DELETED_BY, actorId)
                    .where(CHAT_MESSAGES.ID.eq(messageId))
                    .and(CHAT_MESSAGES.CHANNEL_ID.eq(channelId))
                    .and(CHAT_MESSAGES.DELETED_AT.isNull())
                    .execute();
            if (n == 0) {
                return Optional.<ChatMessage>empty();
            }
            ChatMessage m = read(ctx, CHAT_MESSAGES.ID.eq(messageId)).orElseThrow();
            ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, actorId,
                    ModerationActionType.MESSAGE_DELETED, m.userId(), m.id(), reason, m.text()));
            return Optional.of(new ChatMessage(m.id(), m.channelId(), m.userId(), m.username(), m.text(),
                    m.createdAt(), null, null));
        }));
    }

    /** Shows a deleted message again (an appeal reversed its deletion); false if it was not deleted. */
    public boolean undelete(long messageId) {
        return SqlErrors.call(() -> dsl.update(CHAT_MESSAGES).set(CHAT_MESSAGES.DELETED_AT, (java.time.OffsetDateTime) null)
                .set(CHAT_MESSAGES.DELETED_BY, (Long) null).where(CHAT_MESSAGES.ID.eq(messageId))
                .and(CHAT_MESSAGES.DELETED_AT.isNotNull()).execute()) == 1;
    }

    private static Optional<ChatMessage> read(DSLContext ctx, Condition where) {
        return ctx.select(CHAT_MESSAGES.fields()).select(USERS.USERNAME)
                .from(CHAT_MESSAGES).join(USERS).on(USERS.ID.eq(CHAT_MESSAGES.USER_ID))
                .where(where)
                .fetchOptional(ChatMessageRepository::toMessage);
    }

    private static ChatMessage toMessage(Record r) {
        return new ChatMessage(r.get(CHAT_MESSAGES.ID), r.get(CHAT_MESSAGES.CHANNEL_ID), r.get(CHAT_MESSAGES.USER_ID),
                r.get(USERS.USERNAME), r.get(CHAT_MESSAGES.BODY), Times.fromDb(r.get(CHAT_MESSAGES.CREATED_AT)),
                Times.fromDb(r.get(CHAT_MESSAGES.DELETED_AT)), r.get(CHAT_MESSAGES.DELETED_BY));
    }
}
