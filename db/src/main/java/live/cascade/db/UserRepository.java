package live.cascade.db;

import static live.cascade.db.jooq.Tables.APP_LOCKS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.UsersRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Accounts. Usernames and emails are unique ignoring case (ASCII and Unicode lower-casing with Locale.ROOT). */
public final class UserRepository {

    private final DSLContext dsl;
    private final Clock clock;
    /** Lower-case username that becomes admin at sign-up instead of the first account; null: the first one does. */
    private volatile String bootstrapAdmin;

    UserRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Names the account that is an administrator instead of the first one to sign up (set once, at start): from now
     * on the account with this username (ignoring case) is created as {@link Role#ADMIN}, and the first account is
     * not. Null restores "the first account is the admin".
     */
    public void bootstrapAdmin(String username) {
        this.bootstrapAdmin = username == null ? null : lower(username);
    }

    /**
     * Creates an account with {@code role}, except that the first account on a node without accounts is always
     * {@link Role#ADMIN} (check {@link User#role()} of the result); with a {@link #bootstrapAdmin(String)} it is
     * that account instead, whenever it is created, and the first account gets {@code role} like any other.
     *
     * <p>Race-free: when no committed account is visible, the transaction takes the row lock on
     * {@code app_locks('first_user')} ({@code SELECT ... FOR UPDATE}) and counts again under the lock before it
     * inserts. Concurrent first sign-ups therefore queue on that lock, and each one's re-count (a new statement,
     * so under READ COMMITTED, the default of both databases, it sees what the previous holder committed) finds the
     * admin created before it. Once any account is committed, creations skip the lock entirely.
     *
     * @throws DuplicateException field "username" or "email" if taken, ignoring case
     */
    public User create(String username, String email, String passwordHash, Role role) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            String bootstrap = bootstrapAdmin;
            boolean makeAdmin = false;
            if (bootstrap != null) {
                makeAdmin = lower(username).equals(bootstrap);
            } else if (!ctx.fetchExists(USERS)) {
                ctx.select(APP_LOCKS.NAME).from(APP_LOCKS).where(APP_LOCKS.NAME.eq("first_user")).forUpdate()
                        .fetch();
                makeAdmin = !ctx.fetchExists(USERS);
            }
            UsersRecord row = ctx.insertInto(USERS)
                    .set(USERS.USERNAME, username)
                    .set(USERS.USERNAME_LOWER, lower(username))
                    .set(USERS.EMAIL, email)
                    .set(USERS.EMAIL_LOWER, lower(email))
                    .set(USERS.PASSWORD_HASH, passwordHash)
                    .set(USERS.ROLE, (makeAdmin ? Role.ADMIN : role).dbValue())
                    .set(USERS.SUSPENDED, false)
                    .set(USERS.CREATED_AT, Times.toDb(clock.instant()))
                    .returning()
                    .fetchSingle();
            return toUser(row);
        }));
    }

    public Optional<User> findById(long id) {
        return SqlErrors.call(() -> dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional()
                .map(UserRepository::toUser));
    }

    /** By username or email, ignoring case. If one account's username equals another's email, the username wins. */
    public Optional<User> findByLogin(String usernameOrEmail) {
        String key = lower(Objects.requireNonNull(usernameOrEmail, "usernameOrEmail").strip());
        return SqlErrors.call(() -> dsl.selectFrom(USERS)
                .where(USERS.USERNAME_LOWER.eq(key).or(USERS.EMAIL_LOWER.eq(key)))
                .orderBy(DSL.when(USERS.USERNAME_LOWER.eq(key), DSL.inline(0)).otherwise(DSL.inline(1)))
                .limit(1)
                .fetchOptional()
                .map(UserRepository::toUser));
    }

    /** Accounts with id greater than {@code afterId} (0 for the start), by id, for admin listings. */
    public List<User> list(int limit, long afterId) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        return SqlErrors.call(() -> dsl.selectFrom(USERS).where(USERS.ID.gt(afterId)).orderBy(USERS.ID).limit(limit)
                .fetch(UserRepository::toUser));
    }

    /** @return false if there is no such account */
    public boolean updatePassword(long userId, String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.PASSWORD_HASH, passwordHash)
                .where(USERS.ID.eq(userId)).execute() == 1);
    }

    /** @return false if there is no such account */
    public boolean setSuspended(long userId, boolean suspended) {
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.SUSPENDED, suspended)
                .where(USERS.ID.eq(userId)).execute() == 1);
    }

    /** @return false if there is no such account */
    public boolean setRole(long userId, Role role) {
        Objects.requireNonNull(role, "role");
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.ROLE, role.dbValue())
                .where(USERS.ID.eq(userId)).execute() == 1);
    }

    /**
     * Makes the account {@code role}, written to the site-wide moderation log in the same transaction, unless that
     * would leave no active (unsuspended) admin. Role changes queue on one lock, so two admins demoting each other
     * at once cannot both succeed.
     *
     * @param actorId the admin who asked, or null for the node itself (a bootstrap admin at start)
     */
    public RoleChange changeRole(long userId, Role role, Long actorId) {
        Objects.requireNonNull(role, "role");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            ctx.select(APP_LOCKS.NAME).from(APP_LOCKS).where(APP_LOCKS.NAME.eq("admin_roles")).forUpdate().fetch();
            Optional<User> found = ctx.selectFrom(USERS).where(USERS.ID.eq(userId)).fetchOptional().map(UserRepository::toUser);
            if (found.isEmpty()) return new RoleChange.NoSuchUser();
            User user = found.get();
            if (user.role() == role) return new RoleChange.Unchanged(user);
            if (user.role() == Role.ADMIN) {
                boolean another = ctx.fetchExists(USERS, USERS.ROLE.eq(Role.ADMIN.dbValue())
                        .and(USERS.SUSPENDED.isFalse()).and(USERS.ID.ne(userId)));
                if (!another) return new RoleChange.LastAdmin(user);
            }
            ctx.update(USERS).set(USERS.ROLE, role.dbValue()).where(USERS.ID.eq(userId)).execute();
            ModerationLogRepository.write(ctx, clock.instant(), new ModerationLogRepository.Entry(null, actorId,
                    ModerationActionType.ROLE_CHANGED, userId, null, null, user.role().dbValue() + " -> " + role.dbValue()));
            return new RoleChange.Changed(ctx.selectFrom(USERS).where(USERS.ID.eq(userId)).fetchSingle(UserRepository::toUser));
        }));
    }

    /** Marks the account's e-mail address as proven (a link sent to it was followed). @return false if no such account */
    public boolean markEmailVerified(long userId) {
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.EMAIL_VERIFIED, true).where(USERS.ID.eq(userId)).execute() == 1);
    }

    /** The global switch of "a channel you follow is live" mail. */
    public boolean notifyLive(long userId) {
        return SqlErrors.call(() -> dsl.select(USERS.NOTIFY_LIVE).from(USERS).where(USERS.ID.eq(userId)).fetchOptional(USERS.NOTIFY_LIVE).orElse(false));
    }

    /** @return false if there is no such account */
    public boolean setNotifyLive(long userId, boolean on) {
        return SqlErrors.call(() -> dsl.update(USERS).set(USERS.NOTIFY_LIVE, on).where(USERS.ID.eq(userId)).execute() == 1);
    }

    /** By e-mail address, ignoring case. */
    /** The year of birth the account confirmed for age gates, if it gave one. */
    public Optional<Integer> birthYear(long userId) {
        return SqlErrors.call(() -> dsl.select(USERS.BIRTH_YEAR).from(USERS).where(USERS.ID.eq(userId))
                .fetchOptional(r -> r.value1()));
    }

    public void setBirthYear(long userId, int year) {
        SqlErrors.call(() -> dsl.update(USERS).set(USERS.BIRTH_YEAR, year).where(USERS.ID.eq(userId)).execute());
    }

    public Optional<User> findByEmail(String email) {
        String key = lower(Objects.requireNonNull(email, "email").strip());
        return SqlErrors.call(() -> dsl.selectFrom(USERS).where(USERS.EMAIL_LOWER.eq(key)).fetchOptional().map(UserRepository::toUser));
    }

    public long count() {
        return SqlErrors.call(() -> (long) dsl.fetchCount(USERS));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static User toUser(UsersRecord r) {
        return new User(r.getId(), r.getUsername(), r.getEmail(), r.getPasswordHash(), Role.fromDb(r.getRole()),
                r.getSuspended(), Times.fromDb(r.getCreatedAt()), r.getEmailVerified());
    }
}
