package live.cascade.db;

import static live.cascade.db.jooq.Tables.API_TOKENS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.ApiTokensRecord;
import org.jooq.DSLContext;

/** Per-account API tokens, looked up by the SHA-256 of the token; revoked ones stay listed but never match. */
public final class ApiTokenRepository {
    private final DSLContext dsl;
    private final Clock clock;

    ApiTokenRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** A valid (unrevoked) token with its account. */
    public record Authenticated(ApiToken token, User user) {
    }

    /**
     * @throws ReferenceNotFoundException field "userId" if the account does not exist
     * @throws DuplicateException         field "tokenHash" if the hash is already in use
     */
    public ApiToken create(long userId, String name, String tokenHash, List<String> scopes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        return SqlErrors.call(() -> toToken(dsl.insertInto(API_TOKENS)
                .set(API_TOKENS.USER_ID, userId)
                .set(API_TOKENS.NAME, name)
                .set(API_TOKENS.TOKEN_HASH, tokenHash)
                .set(API_TOKENS.SCOPES, String.join(",", scopes))
                .set(API_TOKENS.CREATED_AT, Times.toDb(clock.instant()))
                .returning()
                .fetchSingle()));
    }

    public Optional<Authenticated> findValid(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return SqlErrors.call(() -> dsl.select(API_TOKENS.fields()).select(USERS.fields())
                .from(API_TOKENS).join(USERS).on(USERS.ID.eq(API_TOKENS.USER_ID))
                .where(API_TOKENS.TOKEN_HASH.eq(tokenHash))
                .and(API_TOKENS.REVOKED_AT.isNull())
                .fetchOptional()
                .map(r -> new Authenticated(toToken(r.into(API_TOKENS)), UserRepository.toUser(r.into(USERS)))));
    }

    /** The account's tokens, newest first, revoked ones included. */
    public List<ApiToken> listForUser(long userId) {
        return SqlErrors.call(() -> dsl.selectFrom(API_TOKENS).where(API_TOKENS.USER_ID.eq(userId))
                .orderBy(API_TOKENS.ID.desc()).fetch(ApiTokenRepository::toToken));
    }

    /** @return false if the account has no such unrevoked token */
    public boolean revoke(long userId, long id) {
        return SqlErrors.call(() -> dsl.update(API_TOKENS).set(API_TOKENS.REVOKED_AT, Times.toDb(clock.instant()))
                .where(API_TOKENS.ID.eq(id)).and(API_TOKENS.USER_ID.eq(userId)).and(API_TOKENS.REVOKED_AT.isNull())
                .execute() == 1);
    }

    public void touch(long id, Instant usedAt) {
        SqlErrors.call(() -> dsl.update(API_TOKENS).set(API_TOKENS.LAST_USED_AT, Times.toDb(usedAt))
                .where(API_TOKENS.ID.eq(id)).execute());
    }

    static ApiToken toToken(ApiTokensRecord r) {
        List<String> scopes = r.getScopes().isEmpty() ? List.of() : Arrays.asList(r.getScopes().split(","));
        return new ApiToken(r.getId(), r.getUserId(), r.getName(), scopes, Times.fromDb(r.getCreatedAt()),
                Optional.ofNullable(Times.fromDb(r.getLastUsedAt())), Optional.ofNullable(Times.fromDb(r.getRevokedAt())));
    }
}
