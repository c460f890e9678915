package live.cascade.db;

import static live.cascade.db.jooq.Tables.ACCOUNT_TOKENS;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.AccountTokensRecord;
import org.jooq.DSLContext;

/** Single-use, expiring tokens sent by mail (address verification, password reset); only their hashes are kept. */
public final class AccountTokenRepository {

    /** What a token is good for; the stored value is {@link #dbValue()}. */
    public enum Purpose {
        VERIFY_EMAIL("verify_email"), PASSWORD_RESET("password_reset");

        private final String dbValue;

        Purpose(String dbValue) {
            this.dbValue = dbValue;
        }

        public String dbValue() {
            return dbValue;
        }
    }

    private final DSLContext dsl;
    private final Clock clock;

    AccountTokenRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public void create(long userId, Purpose purpose, String tokenHash, Instant expiresAt) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        SqlErrors.call(() -> dsl.insertInto(ACCOUNT_TOKENS)
                .set(ACCOUNT_TOKENS.USER_ID, userId)
                .set(ACCOUNT_TOKENS.PURPOSE, purpose.dbValue())
                .set(ACCOUNT_TOKENS.TOKEN_HASH, tokenHash)
                .set(ACCOUNT_TOKENS.CREATED_AT, Times.toDb(clock.instant()))
                .set(ACCOUNT_TOKENS.EXPIRES_AT, Times.toDb(expiresAt))
                .execute());
    }

    /**
     * Uses the token up: the first caller with an unexpired, unused token of this purpose gets its account id; every
     * later caller (and an unknown, expired or other-purpose token) gets empty. The conditional update makes two
     * concurrent uses of one token race for a single row change.
     */
    public Optional<Long> consume(String tokenHash, Purpose purpose) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            var now = Times.toDb(clock.instant());
            Optional<AccountTokensRecord> row = ctx.selectFrom(ACCOUNT_TOKENS)
                    .where(ACCOUNT_TOKENS.TOKEN_HASH.eq(tokenHash)).and(ACCOUNT_TOKENS.PURPOSE.eq(purpose.dbValue()))
                    .fetchOptional();
            if (row.isEmpty()) return Optional.<Long>empty();
            int changed = ctx.update(ACCOUNT_TOKENS).set(ACCOUNT_TOKENS.USED_AT, now)
                    .where(ACCOUNT_TOKENS.ID.eq(row.get().getId()))
                    .and(ACCOUNT_TOKENS.USED_AT.isNull())
                    .and(ACCOUNT_TOKENS.EXPIRES_AT.gt(now))
                    .execute();
            return changed == 1 ? Optional.of(row.get().getUserId()) : Optional.<Long>empty();
        }));
    }

    /** The account of an unexpired, unused token of this purpose, without using it up. */
    public Optional<Long> peek(String tokenHash, Purpose purpose) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        var now = Times.toDb(clock.instant());
        return SqlErrors.call(() -> dsl.select(ACCOUNT_TOKENS.USER_ID).from(ACCOUNT_TOKENS)
                .where(ACCOUNT_TOKENS.TOKEN_HASH.eq(tokenHash)).and(ACCOUNT_TOKENS.PURPOSE.eq(purpose.dbValue()))
                .and(ACCOUNT_TOKENS.USED_AT.isNull()).and(ACCOUNT_TOKENS.EXPIRES_AT.gt(now))
                .fetchOptional(ACCOUNT_TOKENS.USER_ID));
    }

    /** Makes every open token of this purpose for the account useless (a newer one was sent, or the password changed). */
    public int revokeAll(long userId, Purpose purpose) {
        return SqlErrors.call(() -> dsl.update(ACCOUNT_TOKENS).set(ACCOUNT_TOKENS.USED_AT, Times.toDb(clock.instant()))
                .where(ACCOUNT_TOKENS.USER_ID.eq(userId)).and(ACCOUNT_TOKENS.PURPOSE.eq(purpose.dbValue()))
                .and(ACCOUNT_TOKENS.USED_AT.isNull())
                .execute());
    }

    /** Removes tokens that expired before {@code before}; they can never be used again. */
    public int deleteExpired(Instant before) {
        return SqlErrors.call(() -> dsl.deleteFrom(ACCOUNT_TOKENS).where(ACCOUNT_TOKENS.EXPIRES_AT.lt(Times.toDb(before))).execute());
    }
}
