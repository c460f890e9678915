package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHAT_REPORTS;
import static live.cascade.db.jooq.Tables.USERS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.Users;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Viewers' reports of messages and users, and their resolution by moderators (which is logged). */
public final class ReportRepository {

    public static final int MAX_PAGE = 1000;
    private static final int MAX_TEXT = 500;

    private static final Users REPORTER = USERS.as("reporter");
    private static final Users TARGET = USERS.as("target");

    private final DSLContext dsl;
    private final Clock clock;

    ReportRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Files an open report.
     *
     * @param messageId null when a user rather than a message is reported
     * @throws ReferenceNotFoundException field "channelId", "reporterId", "targetUserId" or "messageId"
     */
    public Report file(long channelId, long reporterId, long targetUserId, Long messageId, String reason) {
        Objects.requireNonNull(reason, "reason");
        return SqlErrors.call(() -> {
            long id = dsl.insertInto(CHAT_REPORTS)
                    .set(CHAT_REPORTS.CHANNEL_ID, channelId)
                    .set(CHAT_REPORTS.REPORTER_ID, reporterId)
                    .set(CHAT_REPORTS.TARGET_USER_ID, targetUserId)
                    .set(CHAT_REPORTS.MESSAGE_ID, messageId)
                    .set(CHAT_REPORTS.REASON, ModerationLogRepository.cut(reason, MAX_TEXT))
                    .set(CHAT_REPORTS.STATUS, Report.Status.OPEN.dbValue())
                    .set(CHAT_REPORTS.CREATED_AT, Times.toDb(clock.instant()))
                    .returningResult(CHAT_REPORTS.ID)
                    .fetchSingle()
                    .value1();
            return read(dsl, CHAT_REPORTS.ID.eq(id)).orElseThrow();
        });
    }

    /** The report if it belongs to the channel. */
    public Optional<Report> find(long channelId, long reportId) {
        return SqlErrors.call(() -> read(dsl, CHAT_REPORTS.ID.eq(reportId).and(CHAT_REPORTS.CHANNEL_ID.eq(channelId))));
    }

    /**
     * The channel's reports, newest first, with status {@code status} (any when null), ids below {@code beforeId}
     * when not null, at most {@code limit} (1-{@value #MAX_PAGE}).
     */
    public List<Report> list(long channelId, Report.Status status, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        }
        Condition where = CHAT_REPORTS.CHANNEL_ID.eq(channelId);
        if (status != null) {
            where = where.and(CHAT_REPORTS.STATUS.eq(status.dbValue()));
        }
        if (beforeId != null) {
            where = where.and(CHAT_REPORTS.ID.lt(beforeId));
        }
        Condition cond = where;
        return SqlErrors.call(() -> select(dsl).where(cond).orderBy(CHAT_REPORTS.ID.desc()).limit(limit)
                .fetch(ReportRepository::toReport));
    }

    /**
     * Resolves an open report of the channel and logs it, in one transaction.
     *
     * @return the resolved report, or empty if the channel has no such report or it was already resolved
     */
    public Optional<Report> resolve(long channelId, long reportId, long resolvedBy, String resolution) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            int n = ctx.update(CHAT_REPORTS)
                    .set(CHAT_REPORTS.STATUS, Report.Status.RESOLVED.dbValue())
                    .set(CHAT_REPORTS.RESOLVED_BY, resolvedBy)
                    .set(CHAT_REPORTS.RESOLVED_AT, Times.toDb(now))
                    .set(CHAT_REPORTS.RESOLUTION, ModerationLogRepository.cut(resolution, MAX_TEXT))
                    .where(CHAT_REPORTS.ID.eq(reportId))
                    .and(CHAT_REPORTS.CHANNEL_ID.eq(channelId))
                    .and(CHAT_REPORTS.STATUS.eq(Report.Status.OPEN.dbValue()))
                    .execute();
            if (n == 0) {
                return Optional.<Report>empty();
            }
            Report r = read(ctx, CHAT_REPORTS.ID.eq(reportId)).orElseThrow();
            ModerationLogRepository.write(ctx, now, new ModerationLogRepository.Entry(channelId, resolvedBy,
                    ModerationActionType.REPORT_RESOLVED, r.targetUserId(), r.messageId(), resolution,
                    "report " + r.id() + ": " + r.reason()));
            return Optional.of(r);
        }));
    }

    private static org.jooq.SelectOnConditionStep<Record> select(DSLContext ctx) {
        return ctx.select(CHAT_REPORTS.fields()).select(REPORTER.USERNAME, TARGET.USERNAME)
                .from(CHAT_REPORTS)
                .leftJoin(REPORTER).on(REPORTER.ID.eq(CHAT_REPORTS.REPORTER_ID))
                .leftJoin(TARGET).on(TARGET.ID.eq(CHAT_REPORTS.TARGET_USER_ID));
    }

    private static Optional<Report> read(DSLContext ctx, Condition where) {
        return select(ctx).where(where).fetchOptional(ReportRepository::toReport);
    }

    private static Report toReport(Record r) {
        return new Report(r.get(CHAT_REPORTS.ID), r.get(CHAT_REPORTS.CHANNEL_ID), r.get(CHAT_REPORTS.REPORTER_ID),
                r.get(REPORTER.USERNAME), r.get(CHAT_REPORTS.TARGET_USER_ID), r.get(TARGET.USERNAME),
                r.get(CHAT_REPORTS.MESSAGE_ID), r.get(CHAT_REPORTS.REASON),
                Report.Status.fromDb(r.get(CHAT_REPORTS.STATUS)), Times.fromDb(r.get(CHAT_REPORTS.CREATED_AT)),
                r.get(CHAT_REPORTS.RESOLVED_BY), Times.fromDb(r.get(CHAT_REPORTS.RESOLVED_AT)),
                r.get(CHAT_REPORTS.RESOLUTION));
    }
}
