package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.CHAT_MESSAGES;
import static live.cascade.db.jooq.Tables.DATA_EXPORTS;
import static live.cascade.db.jooq.Tables.RECORDINGS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A user's data rights: what is exported about them, and erasing them. Erasure re-attributes their chat messages to
 * one placeholder account (channels keep their history, which references the user row), deletes their channels (and
 * with them everything of those channels), and deletes the account row, which the schema's foreign keys cascade to
 * (sessions, follows, profile, tokens, queued mail, exports) or set to NULL (actor and target columns of others' logs).
 */
public final class DataRightsRepository {
    /** Username of the placeholder: not a valid sign-up name (brackets), so nobody can take it. */
    public static final String PLACEHOLDER = "[deleted]";

    /** Columns never exported: secrets, or derived from them. */
    private static final Set<String> SECRET_COLUMNS = Set.of("password_hash", "token_hash", "stream_key_hash", "stream_key_enc",
            "username_lower", "email_lower", "slug_lower", "category_lower", "appeal_token_hash");

    private final DSLContext dsl;
    private final Clock clock;

    DataRightsRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Asks for erasure at {@code dueAt} (replacing an earlier request). @return false if there is no such account */
    public boolean scheduleDeletion(long userId, Instant dueAt) {
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.DELETION_DUE_AT, Times.toDb(dueAt)).where(USERS.ID.eq(userId)).execute() == 1);
    }

    /** @return true if a deletion was pending and is now cancelled */
    public boolean cancelDeletion(long userId) {
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.DELETION_DUE_AT, (java.time.OffsetDateTime) null)
                .where(USERS.ID.eq(userId)).and(USERS.DELETION_DUE_AT.isNotNull()).execute() == 1);
    }

    public Optional<Instant> deletionDue(long userId) {
        return SqlErrors.call(() -> dsl.select(USERS.DELETION_DUE_AT).from(USERS).where(USERS.ID.eq(userId))
                .fetchOptional(USERS.DELETION_DUE_AT).map(Times::fromDb));
    }

    /** Accounts whose deletion is due by {@code now}. */
    public List<Long> dueDeletions(Instant now, int limit) {
        return SqlErrors.call(() -> dsl.select(USERS.ID).from(USERS).where(USERS.DELETION_DUE_AT.le(Times.toDb(now)))
                .orderBy(USERS.DELETION_DUE_AT).limit(limit).fetch(USERS.ID));
    }

    /**
     * Erases the account in one transaction. @return the media paths (relative to the data directory) of the
     * recordings that went with the account's channels, for the caller to delete from disk; empty if no such account
     */
    public Optional<List<String>> erase(long userId) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            if (!ctx.fetchExists(USERS, USERS.ID.eq(userId))) return Optional.<List<String>>empty();
            long placeholder = placeholder(ctx);
            List<String> media = new ArrayList<>(ctx.select(RECORDINGS.MEDIA_PATH).from(RECORDINGS)
                    .join(CHANNELS).on(CHANNELS.ID.eq(RECORDINGS.CHANNEL_ID))
                    .where(CHANNELS.OWNER_ID.eq(userId)).and(RECORDINGS.MEDIA_PATH.isNotNull())
                    .fetch(RECORDINGS.MEDIA_PATH));
            ctx.update(CHAT_MESSAGES).set(CHAT_MESSAGES.USER_ID, placeholder).where(CHAT_MESSAGES.USER_ID.eq(userId)).execute();
            ctx.deleteFrom(CHANNELS).where(CHANNELS.OWNER_ID.eq(userId)).execute();
            ctx.deleteFrom(USERS).where(USERS.ID.eq(userId)).execute();
            ModerationLogRepository.write(ctx, clock.instant(), new ModerationLogRepository.Entry(null, null,
                    ModerationActionType.ACCOUNT_ERASED, null, null, null, "account " + userId + " erased at its owner's request"));
            return Optional.of(media);
        }));
    }

    private long placeholder(DSLContext ctx) {
        Optional<Long> found = ctx.select(USERS.ID).from(USERS).where(USERS.USERNAME_LOWER.eq(PLACEHOLDER)).fetchOptional(USERS.ID);
        if (found.isPresent()) return found.get();
        return ctx.insertInto(USERS)
                .set(USERS.USERNAME, PLACEHOLDER).set(USERS.USERNAME_LOWER, PLACEHOLDER)
                .set(USERS.EMAIL, "deleted@invalid").set(USERS.EMAIL_LOWER, "deleted@invalid")
                .set(USERS.PASSWORD_HASH, "!") // matches no password: nobody logs in as the placeholder
                .set(USERS.ROLE, Role.USER.dbValue()).set(USERS.SUSPENDED, true)
                .set(USERS.EMAIL_VERIFIED, false).set(USERS.NOTIFY_LIVE, false)
                .set(USERS.CREATED_AT, Times.toDb(clock.instant()))
                .returning(USERS.ID).fetchSingle(USERS.ID);
    }

    /** The rows of {@code table} whose {@code column} is the user, secrets left out, as column name to value. */
    public List<Map<String, Object>> rows(String table, String column, long userId) {
        return SqlErrors.call(() -> dsl.select().from(DSL.table(DSL.name(table))).where(DSL.field(DSL.name(column)).eq(userId))
                .fetchMaps().stream().map(DataRightsRepository::withoutSecrets).toList());
    }

    private static Map<String, Object> withoutSecrets(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!SECRET_COLUMNS.contains(k.toLowerCase(java.util.Locale.ROOT))) out.put(k.toLowerCase(java.util.Locale.ROOT), v);
        });
        return out;
    }

    // ---- exports

    public long startExport(long userId) {
        return SqlErrors.call(() -> dsl.insertInto(DATA_EXPORTS).set(DATA_EXPORTS.USER_ID, userId).set(DATA_EXPORTS.STATUS, "building")
                .set(DATA_EXPORTS.REQUESTED_AT, Times.toDb(clock.instant())).returning(DATA_EXPORTS.ID).fetchSingle(DATA_EXPORTS.ID));
    }

    public void exportReady(long exportId, String filePath) {
        SqlErrors.call(() -> dsl.update(DATA_EXPORTS).set(DATA_EXPORTS.STATUS, "ready").set(DATA_EXPORTS.FILE_PATH, filePath)
                .set(DATA_EXPORTS.READY_AT, Times.toDb(clock.instant())).where(DATA_EXPORTS.ID.eq(exportId)).execute());
    }

    public void exportFailed(long exportId, String error) {
        SqlErrors.call(() -> dsl.update(DATA_EXPORTS).set(DATA_EXPORTS.STATUS, "failed")
                .set(DATA_EXPORTS.ERROR, error.length() > 500 ? error.substring(0, 500) : error).where(DATA_EXPORTS.ID.eq(exportId)).execute());
    }

    /** The user's newest export: status, requested time, file path when ready. */
    public Optional<DataExport> latestExport(long userId) {
        return SqlErrors.call(() -> dsl.selectFrom(DATA_EXPORTS).where(DATA_EXPORTS.USER_ID.eq(userId)).orderBy(DATA_EXPORTS.ID.desc()).limit(1)
                .fetchOptional().map(r -> new DataExport(r.getId(), r.getStatus(), Times.fromDb(r.getRequestedAt()),
                        r.getReadyAt() == null ? null : Times.fromDb(r.getReadyAt()), r.getFilePath(), r.getError())));
    }

    /** An export of a user's data; {@code readyAt} and {@code filePath} once built. */
    public record DataExport(long id, String status, Instant requestedAt, Instant readyAt, String filePath, String error) {
    }
}
