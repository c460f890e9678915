package live.cascade.db;

import static live.cascade.db.jooq.Tables.LOGIN_SESSIONS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.LoginSessionsRecord;
import org.jooq.DSLContext;

/** Browser login sessions, looked up by the hash of their token. */
public final class LoginSessionRepository {

    private static final int MAX_IP = 64;
    private static final int MAX_USER_AGENT = 256;

    private final DSLContext dsl;
    private final Clock clock;

    LoginSessionRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * {@code ip} and {@code userAgent} are informational and may be null; over-long values are cut to the column
     * size rather than failing the login.
     *
     * @throws ReferenceNotFoundException field "userId" if the account does not exist
     * @throws DuplicateException         field "tokenHash" if the hash is already in use
     */
    public LoginSession create(long userId, String tokenHash, Instant expiresAt, String ip, String userAgent) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return SqlErrors.call(() -> toSession(dsl.insertInto(LOGIN_SESSIONS)
                .set(LOGIN_SESSIONS.USER_ID, userId)
                .set(LOGIN_SESSIONS.TOKEN_HASH, tokenHash)
                .set(LOGIN_SESSIONS.CREATED_AT, Times.toDb(clock.instant()))
                .set(LOGIN_SESSIONS.EXPIRES_AT, Times.toDb(expiresAt))
                .set(LOGIN_SESSIONS.IP, cut(ip, MAX_IP))
                .set(LOGIN_SESSIONS.USER_AGENT, cut(userAgent, MAX_USER_AGENT))
                .returning()
                .fetchSingle()));
    }

    /** The session with this token hash if it expires after {@code now}, with its account. */
    public Optional<AuthenticatedSession> findValid(String tokenHash, Instant now) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(now, "now");
        return SqlErrors.call(() -> dsl.select(LOGIN_SESSIONS.fields()).select(USERS.fields())
                .from(LOGIN_SESSIONS).join(USERS).on(USERS.ID.eq(LOGIN_SESSIONS.USER_ID))
                .where(LOGIN_SESSIONS.TOKEN_HASH.eq(tokenHash))
                .and(LOGIN_SESSIONS.EXPIRES_AT.gt(Times.toDb(now)))
                .fetchOptional()
                .map(r -> new AuthenticatedSession(toSession(r.into(LOGIN_SESSIONS)),
                        UserRepository.toUser(r.into(USERS)))));
    }

    /** @return false if there was no such session */
    public boolean delete(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return SqlErrors.call(() -> dsl.deleteFrom(LOGIN_SESSIONS).where(LOGIN_SESSIONS.TOKEN_HASH.eq(tokenHash))
                .execute() == 1);
    }

    /** Logs the account out everywhere (password change, suspension). @return sessions deleted */
    public int deleteAllForUser(long userId) {
        return SqlErrors.call(() -> dsl.deleteFrom(LOGIN_SESSIONS).where(LOGIN_SESSIONS.USER_ID.eq(userId))
                .execute());
    }

    /** Deletes sessions that expired at or before {@code now}. @return sessions deleted */
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return SqlErrors.call(() -> dsl.deleteFrom(LOGIN_SESSIONS)
                .where(LOGIN_SESSIONS.EXPIRES_AT.le(Times.toDb(now))).execute());
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static LoginSession toSession(LoginSessionsRecord r) {
        return new LoginSession(r.getId(), r.getUserId(), r.getTokenHash(), Times.fromDb(r.getCreatedAt()),
                Times.fromDb(r.getExpiresAt()), r.getIp(), r.getUserAgent());
    }
}
