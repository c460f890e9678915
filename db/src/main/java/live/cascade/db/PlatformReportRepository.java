package live.cascade.db;

import static live.cascade.db.jooq.Tables.PLATFORM_REPORTS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.ModerationLogRepository.Entry;
import live.cascade.db.jooq.tables.records.PlatformReportsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;

/** The site-wide report queue: filing, triage (state, assignee) and the outcome, each step in the audit log. */
public final class PlatformReportRepository {
    public static final int MAX_PAGE = 200;

    private final DSLContext dsl;
    private final Clock clock;

    PlatformReportRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Files an open report and logs it. */
    public PlatformReport file(Long reporterId, String subjectKind, long subjectId, Long subjectUserId, String reason,
                               String details, String evidenceUrl) {
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(reason, "reason");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            long id = ctx.insertInto(PLATFORM_REPORTS)
                    .set(PLATFORM_REPORTS.REPORTER_ID, reporterId)
                    .set(PLATFORM_REPORTS.SUBJECT_KIND, subjectKind)
                    .set(PLATFORM_REPORTS.SUBJECT_ID, subjectId)
                    .set(PLATFORM_REPORTS.SUBJECT_USER_ID, subjectUserId)
                    .set(PLATFORM_REPORTS.REASON, reason)
                    .set(PLATFORM_REPORTS.DETAILS, details)
                    .set(PLATFORM_REPORTS.EVIDENCE_URL, evidenceUrl)
                    .set(PLATFORM_REPORTS.STATE, "open")
                    .set(PLATFORM_REPORTS.CREATED_AT, Times.toDb(now))
                    .set(PLATFORM_REPORTS.UPDATED_AT, Times.toDb(now))
                    .returningResult(PLATFORM_REPORTS.ID).fetchSingle().value1();
            ModerationLogRepository.write(ctx, now, new Entry(null, reporterId, ModerationActionType.PLATFORM_REPORT_FILED,
                    subjectUserId, null, reason, "report " + id + " on " + subjectKind + " " + subjectId));
            return read(ctx, id).orElseThrow();
        }));
    }

    public Optional<PlatformReport> find(long id) {
        return SqlErrors.call(() -> read(dsl, id));
    }

    /** Reports newest first, in {@code state} (any when null), ids below {@code beforeId} when not null. */
    public List<PlatformReport> list(String state, Long assigneeId, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        Condition where = org.jooq.impl.DSL.trueCondition();
        if (state != null) where = where.and(PLATFORM_REPORTS.STATE.eq(state));
        if (assigneeId != null) where = where.and(PLATFORM_REPORTS.ASSIGNEE_ID.eq(assigneeId));
        if (beforeId != null) where = where.and(PLATFORM_REPORTS.ID.lt(beforeId));
        Condition cond = where;
        return SqlErrors.call(() -> dsl.selectFrom(PLATFORM_REPORTS).where(cond).orderBy(PLATFORM_REPORTS.ID.desc())
                .limit(limit).fetch(PlatformReportRepository::toReport));
    }

    /**
     * Moves a report: a new state, assignee (0 unassigns, null keeps), action taken and resolution (null keeps), logged
     * with {@code actorId} in the same transaction.
     */
    public Optional<PlatformReport> update(long id, long actorId, String state, Long assigneeId, String actionTaken,
                                           String resolution) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            var u = ctx.update(PLATFORM_REPORTS).set(PLATFORM_REPORTS.UPDATED_AT, Times.toDb(now));
            if (state != null) u = u.set(PLATFORM_REPORTS.STATE, state);
            if (assigneeId != null) u = u.set(PLATFORM_REPORTS.ASSIGNEE_ID, assigneeId == 0 ? null : assigneeId);
            if (actionTaken != null) u = u.set(PLATFORM_REPORTS.ACTION_TAKEN, actionTaken);
            if (resolution != null) u = u.set(PLATFORM_REPORTS.RESOLUTION, resolution);
            if (u.where(PLATFORM_REPORTS.ID.eq(id)).execute() == 0) return Optional.<PlatformReport>empty();
            PlatformReport r = read(ctx, id).orElseThrow();
            ModerationLogRepository.write(ctx, now, new Entry(null, actorId, ModerationActionType.PLATFORM_REPORT_UPDATED,
                    r.subjectUserId(), null, resolution, "report " + id + ": state " + r.state()
                            + (r.assigneeId() == null ? "" : ", assigned to " + r.assigneeId())
                            + (actionTaken == null ? "" : ", action " + actionTaken)));
            return Optional.of(r);
        }));
    }

    private static Optional<PlatformReport> read(DSLContext ctx, long id) {
        return ctx.selectFrom(PLATFORM_REPORTS).where(PLATFORM_REPORTS.ID.eq(id)).fetchOptional(PlatformReportRepository::toReport);
    }

    private static PlatformReport toReport(PlatformReportsRecord r) {
        return new PlatformReport(r.getId(), r.getReporterId(), r.getSubjectKind(), r.getSubjectId(), r.getSubjectUserId(),
                r.getReason(), r.getDetails(), r.getEvidenceUrl(), r.getState(), r.getAssigneeId(), r.getActionTaken(),
                r.getResolution(), Times.fromDb(r.getCreatedAt()), Times.fromDb(r.getUpdatedAt()));
    }
}
