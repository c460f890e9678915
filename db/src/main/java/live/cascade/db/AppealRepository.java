package live.cascade.db;

import static live.cascade.db.jooq.Tables.APPEALS;
import static live.cascade.db.jooq.Tables.ENFORCEMENTS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.ModerationLogRepository.Entry;
import live.cascade.db.jooq.tables.records.AppealsRecord;
import live.cascade.db.jooq.tables.records.EnforcementsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Enforcement actions and the one appeal each may have; every step in the audit log. */
public final class AppealRepository {
    public static final int MAX_PAGE = 200;

    private final DSLContext dsl;
    private final Clock clock;

    AppealRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Records an action an administrator took (the change itself is the caller's) and logs it. */
    public Enforcement enforce(String kind, long subjectId, Long userId, Long reportId, Long actorId, String reason,
                               String appealTokenHash) {
        Objects.requireNonNull(kind, "kind");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            long id = ctx.insertInto(ENFORCEMENTS)
                    .set(ENFORCEMENTS.KIND, kind).set(ENFORCEMENTS.SUBJECT_ID, subjectId).set(ENFORCEMENTS.USER_ID, userId)
                    .set(ENFORCEMENTS.REPORT_ID, reportId).set(ENFORCEMENTS.ACTOR_ID, actorId)
                    .set(ENFORCEMENTS.REASON, reason).set(ENFORCEMENTS.APPEAL_TOKEN_HASH, appealTokenHash)
                    .set(ENFORCEMENTS.CREATED_AT, Times.toDb(now))
                    .returningResult(ENFORCEMENTS.ID).fetchSingle().value1();
            ModerationLogRepository.write(ctx, now, new Entry(null, actorId, ModerationActionType.ENFORCEMENT_TAKEN,
                    userId, null, reason, "enforcement " + id + ": " + kind + " " + subjectId
                            + (reportId == null ? "" : " on report " + reportId)));
            return readEnforcement(ctx, ENFORCEMENTS.ID.eq(id)).orElseThrow();
        }));
    }

    public Optional<Enforcement> enforcement(long id) {
        return SqlErrors.call(() -> readEnforcement(dsl, ENFORCEMENTS.ID.eq(id)));
    }

    public Optional<Enforcement> enforcementByAppealToken(String tokenHash) {
        return SqlErrors.call(() -> readEnforcement(dsl, ENFORCEMENTS.APPEAL_TOKEN_HASH.eq(tokenHash)));
    }

    /** The actions taken against an account, newest first. */
    public List<Enforcement> enforcementsOf(long userId) {
        return SqlErrors.call(() -> dsl.selectFrom(ENFORCEMENTS).where(ENFORCEMENTS.USER_ID.eq(userId))
                .orderBy(ENFORCEMENTS.ID.desc()).limit(MAX_PAGE).fetch(AppealRepository::toEnforcement));
    }

    /**
     * Files the appeal against an enforcement action.
     *
     * @throws DuplicateException field "enforcementId" if the action was appealed already
     */
    public Appeal file(long enforcementId, long userId, String statement) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            long id = ctx.insertInto(APPEALS).set(APPEALS.ENFORCEMENT_ID, enforcementId).set(APPEALS.USER_ID, userId)
                    .set(APPEALS.STATEMENT, statement).set(APPEALS.STATE, "pending").set(APPEALS.CREATED_AT, Times.toDb(now))
                    .returningResult(APPEALS.ID).fetchSingle().value1();
            ModerationLogRepository.write(ctx, now, new Entry(null, userId, ModerationActionType.APPEAL_FILED, userId, null,
                    null, "appeal " + id + " against enforcement " + enforcementId));
            return readAppeal(ctx, APPEALS.ID.eq(id)).orElseThrow();
        }));
    }

    public Optional<Appeal> appeal(long id) {
        return SqlErrors.call(() -> readAppeal(dsl, APPEALS.ID.eq(id)));
    }

    /** Appeals newest first: {@code userId}'s (any when null), in {@code state} (any when null). */
    public List<Appeal> appeals(Long userId, String state, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        Condition where = DSL.trueCondition();
        if (userId != null) where = where.and(APPEALS.USER_ID.eq(userId));
        if (state != null) where = where.and(APPEALS.STATE.eq(state));
        if (beforeId != null) where = where.and(APPEALS.ID.lt(beforeId));
        Condition cond = where;
        return SqlErrors.call(() -> dsl.selectFrom(APPEALS).where(cond).orderBy(APPEALS.ID.desc()).limit(limit)
                .fetch(AppealRepository::toAppeal));
    }

    /**
     * Decides a pending appeal: {@code reversed} also marks the enforcement reversed (undoing it is the caller's).
     *
     * @return the decided appeal, or empty if it was not pending (decided already, or no such appeal)
     */
    public Optional<Appeal> decide(long id, long adminId, boolean reverse, String note) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            int n = ctx.update(APPEALS).set(APPEALS.STATE, reverse ? "reversed" : "upheld").set(APPEALS.DECIDED_BY, adminId)
                    .set(APPEALS.DECIDED_AT, Times.toDb(now)).set(APPEALS.DECISION_NOTE, note)
                    .where(APPEALS.ID.eq(id)).and(APPEALS.STATE.eq("pending")).execute();
            if (n == 0) return Optional.<Appeal>empty();
            Appeal a = readAppeal(ctx, APPEALS.ID.eq(id)).orElseThrow();
            if (reverse) {
                ctx.update(ENFORCEMENTS).set(ENFORCEMENTS.REVERSED_AT, Times.toDb(now))
                        .where(ENFORCEMENTS.ID.eq(a.enforcementId())).execute();
                ModerationLogRepository.write(ctx, now, new Entry(null, adminId, ModerationActionType.ENFORCEMENT_REVERSED,
                        a.userId(), null, note, "enforcement " + a.enforcementId() + " reversed on appeal " + id));
            }
            ModerationLogRepository.write(ctx, now, new Entry(null, adminId, ModerationActionType.APPEAL_DECIDED, a.userId(),
                    null, note, "appeal " + id + ": " + a.state()));
            return Optional.of(a);
        }));
    }

    private static Optional<Enforcement> readEnforcement(DSLContext ctx, Condition c) {
        return ctx.selectFrom(ENFORCEMENTS).where(c).fetchOptional(AppealRepository::toEnforcement);
    }

    private static Optional<Appeal> readAppeal(DSLContext ctx, Condition c) {
        return ctx.selectFrom(APPEALS).where(c).fetchOptional(AppealRepository::toAppeal);
    }

    private static Enforcement toEnforcement(EnforcementsRecord r) {
        return new Enforcement(r.getId(), r.getKind(), r.getSubjectId(), r.getUserId(), r.getReportId(), r.getActorId(),
                r.getReason(), Times.fromDb(r.getCreatedAt()), Times.fromDb(r.getReversedAt()));
    }

    private static Appeal toAppeal(AppealsRecord r) {
        return new Appeal(r.getId(), r.getEnforcementId(), r.getUserId(), r.getStatement(), r.getState(), r.getDecidedBy(),
                Times.fromDb(r.getDecidedAt()), r.getDecisionNote(), Times.fromDb(r.getCreatedAt()));
    }
}
