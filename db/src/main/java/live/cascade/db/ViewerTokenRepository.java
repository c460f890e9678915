package live.cascade.db;

import static live.cascade.db.jooq.Tables.VIEWER_TOKENS;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import org.jooq.DSLContext;

/** Viewer tokens of private channels: expiring, optionally single-use; only their hashes are kept. */
public final class ViewerTokenRepository {

    private final DSLContext dsl;
    private final Clock clock;

    ViewerTokenRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public void create(long channelId, String tokenHash, Long createdBy, Instant expiresAt, boolean singleUse) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        SqlErrors.call(() -> dsl.insertInto(VIEWER_TOKENS)
                .set(VIEWER_TOKENS.CHANNEL_ID, channelId)
                .set(VIEWER_TOKENS.TOKEN_HASH, tokenHash)
                .set(VIEWER_TOKENS.CREATED_BY, createdBy)
                .set(VIEWER_TOKENS.CREATED_AT, Times.toDb(clock.instant()))
                .set(VIEWER_TOKENS.EXPIRES_AT, Times.toDb(expiresAt))
                .set(VIEWER_TOKENS.SINGLE_USE, singleUse)
                .execute());
    }

    /**
     * Whether the token opens the channel now; a single-use token is used up by the first call that says yes (a
     * conditional update, so two players racing with one token get one yes).
     */
    public boolean use(String tokenHash, long channelId) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        var now = Times.toDb(clock.instant());
        return SqlErrors.call(() -> {
            var row = dsl.selectFrom(VIEWER_TOKENS).where(VIEWER_TOKENS.TOKEN_HASH.eq(tokenHash))
                    .and(VIEWER_TOKENS.CHANNEL_ID.eq(channelId)).and(VIEWER_TOKENS.EXPIRES_AT.gt(now)).fetchOptional();
            if (row.isEmpty()) return false;
            if (!row.get().getSingleUse()) return true;
            return dsl.update(VIEWER_TOKENS).set(VIEWER_TOKENS.USED_AT, now)
                    .where(VIEWER_TOKENS.ID.eq(row.get().getId())).and(VIEWER_TOKENS.USED_AT.isNull()).execute() == 1;
        });
    }

    /**
     * Whether the token is one of the channel's and has not expired, without using it up: it opens the channel's JSON
     * and chat, which a single-use token's viewer still needs after the token was spent on the playback session.
     */
    public boolean isCurrent(String tokenHash, long channelId) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        var now = Times.toDb(clock.instant());
        return SqlErrors.call(() -> dsl.fetchExists(dsl.selectOne().from(VIEWER_TOKENS)
                .where(VIEWER_TOKENS.TOKEN_HASH.eq(tokenHash)).and(VIEWER_TOKENS.CHANNEL_ID.eq(channelId))
                .and(VIEWER_TOKENS.EXPIRES_AT.gt(now))));
    }
}
