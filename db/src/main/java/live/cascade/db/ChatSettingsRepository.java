package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHAT_BLOCKED_TERMS;
import static live.cascade.db.jooq.Tables.CHAT_SETTINGS;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import live.cascade.db.jooq.tables.records.ChatSettingsRecord;
import org.jooq.DSLContext;

/** Each channel's chat settings with its blocked words and patterns. */
public final class ChatSettingsRepository {

    /** Upper bounds the API also enforces; the schema stores terms of up to {@value ChatSettings#MAX_TERM_LENGTH}. */
    public static final int MAX_WORDS = 1000;
    public static final int MAX_PATTERNS = 100;

    private static final String WORD = "word";
    private static final String PATTERN = "pattern";

    private final DSLContext dsl;
    private final Clock clock;

    ChatSettingsRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** The channel's settings, {@link ChatSettings#DEFAULTS} if it never saved any (or does not exist). */
    public ChatSettings get(long channelId) {
        return SqlErrors.call(() -> read(dsl, channelId));
    }

    /**
     * Replaces the channel's settings and logs the change (with a summary in the detail), in one transaction.
     *
     * @throws ReferenceNotFoundException field "channelId"
     */
    public ChatSettings put(long channelId, ChatSettings settings, Long changedBy) {
        Objects.requireNonNull(settings, "settings");
        if (settings.blockedWords().size() > MAX_WORDS || settings.blockedPatterns().size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("at most " + MAX_WORDS + " words and " + MAX_PATTERNS + " patterns");
        }
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            ctx.insertInto(CHAT_SETTINGS)
                    .set(CHAT_SETTINGS.CHANNEL_ID, channelId)
                    .set(CHAT_SETTINGS.SLOW_MODE_SECONDS, settings.slowModeSeconds())
                    .set(CHAT_SETTINGS.FOLLOWERS_ONLY, settings.followersOnly())
                    .set(CHAT_SETTINGS.BLOCK_LINKS, settings.blockLinks())
                    .set(CHAT_SETTINGS.MAX_MESSAGE_LENGTH, settings.maxMessageLength())
                    .set(CHAT_SETTINGS.UPDATED_AT, Times.toDb(now))
                    .set(CHAT_SETTINGS.UPDATED_BY, changedBy)
                    .onConflict(CHAT_SETTINGS.CHANNEL_ID)
                    .doUpdate()
                    .set(CHAT_SETTINGS.SLOW_MODE_SECONDS, settings.slowModeSeconds())
                    .set(CHAT_SETTINGS.FOLLOWERS_ONLY, settings.followersOnly())
                    .set(CHAT_SETTINGS.BLOCK_LINKS, settings.blockLinks())
                    .set(CHAT_SETTINGS.MAX_MESSAGE_LENGTH, settings.maxMessageLength())
                    .set(CHAT_SETTINGS.UPDATED_AT, Times.toDb(now))
                    .set(CHAT_SETTINGS.UPDATED_BY, changedBy)
                    .execute();
            ctx.deleteFrom(CHAT_BLOCKED_TERMS).where(CHAT_BLOCKED_TERMS.CHANNEL_ID.eq(channelId)).execute();
            insertTerms(ctx, channelId, WORD, settings.blockedWords());
            insertTerms(ctx, channelId, PATTERN, settings.blockedPatterns());
            ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, changedBy,
                    ModerationActionType.SETTINGS_CHANGED, null, null, null, summary(settings)));
            return read(ctx, channelId);
        }));
    }

    private static void insertTerms(DSLContext ctx, long channelId, String kind, List<String> terms) {
        if (terms.isEmpty()) {
            return;
        }
        var insert = ctx.insertInto(CHAT_BLOCKED_TERMS, CHAT_BLOCKED_TERMS.CHANNEL_ID, CHAT_BLOCKED_TERMS.KIND,
                CHAT_BLOCKED_TERMS.ORDINAL, CHAT_BLOCKED_TERMS.TERM);
        for (int i = 0; i < terms.size(); i++) {
            insert = insert.values(channelId, kind, i, terms.get(i));
        }
        insert.execute();
    }

    private static ChatSettings read(DSLContext ctx, long channelId) {
        ChatSettingsRecord row = ctx.selectFrom(CHAT_SETTINGS).where(CHAT_SETTINGS.CHANNEL_ID.eq(channelId))
                .fetchOne();
        if (row == null) {
            return ChatSettings.DEFAULTS;
        }
        List<String> words = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        ctx.select(CHAT_BLOCKED_TERMS.KIND, CHAT_BLOCKED_TERMS.TERM).from(CHAT_BLOCKED_TERMS)
                .where(CHAT_BLOCKED_TERMS.CHANNEL_ID.eq(channelId))
                .orderBy(CHAT_BLOCKED_TERMS.KIND, CHAT_BLOCKED_TERMS.ORDINAL)
                .forEach(r -> (WORD.equals(r.value1()) ? words : patterns).add(r.value2()));
        return new ChatSettings(row.getSlowModeSeconds(), row.getFollowersOnly(), row.getBlockLinks(),
                row.getMaxMessageLength(), words, patterns);
    }

    private static String summary(ChatSettings s) {
        return "slowModeSeconds=" + s.slowModeSeconds() + ", followersOnly=" + s.followersOnly() + ", blockLinks="
                + s.blockLinks() + ", maxMessageLength=" + s.maxMessageLength() + ", blockedWords="
                + s.blockedWords().size() + ", blockedPatterns=" + s.blockedPatterns().size();
    }
}
