package live.cascade.db;

import static live.cascade.db.jooq.Tables.DMCA_NOTICES;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.ModerationLogRepository.Entry;
import live.cascade.db.jooq.tables.records.DmcaNoticesRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The DMCA record: a notice, the content disabled with it, the counter-notice and the end (restored or kept down).
 * Every step is one conditional update (a step out of order changes nothing) and one audit log entry.
 */
public final class DmcaRepository {
    public static final int MAX_PAGE = 200;

    /** The notice's fields as received. */
    public record Notice(long recordingId, Long uploaderId, String claimantName, String claimantEmail,
                         String claimantAddress, String workDescription, String infringingLocation, String signature) {
    }

    /** The counter-notice's fields as received. */
    public record Counter(String name, String address, String statement, String signature) {
    }

    private final DSLContext dsl;
    private final Clock clock;

    DmcaRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Records a notice whose content the caller has just disabled (taken down). */
    public DmcaNotice record(Notice n, long adminId) {
        Objects.requireNonNull(n, "notice");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            long id = ctx.insertInto(DMCA_NOTICES)
                    .set(DMCA_NOTICES.RECORDING_ID, n.recordingId()).set(DMCA_NOTICES.UPLOADER_ID, n.uploaderId())
                    .set(DMCA_NOTICES.CLAIMANT_NAME, n.claimantName()).set(DMCA_NOTICES.CLAIMANT_EMAIL, n.claimantEmail())
                    .set(DMCA_NOTICES.CLAIMANT_ADDRESS, n.claimantAddress())
                    .set(DMCA_NOTICES.WORK_DESCRIPTION, n.workDescription())
                    .set(DMCA_NOTICES.INFRINGING_LOCATION, n.infringingLocation()).set(DMCA_NOTICES.SIGNATURE, n.signature())
                    .set(DMCA_NOTICES.STATE, "content_disabled").set(DMCA_NOTICES.RECEIVED_AT, Times.toDb(now))
                    .set(DMCA_NOTICES.RECORDED_BY, adminId).set(DMCA_NOTICES.DISABLED_AT, Times.toDb(now))
                    .returningResult(DMCA_NOTICES.ID).fetchSingle().value1();
            ModerationLogRepository.write(ctx, now, new Entry(null, adminId, ModerationActionType.DMCA_NOTICE_RECORDED,
                    n.uploaderId(), null, n.workDescription(), "DMCA notice " + id + " from " + n.claimantName()
                            + ": recording " + n.recordingId() + " disabled"));
            return read(ctx, id).orElseThrow();
        }));
    }

    public Optional<DmcaNotice> find(long id) {
        return SqlErrors.call(() -> read(dsl, id));
    }

    public List<DmcaNotice> list(String state, Long uploaderId, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE);
        Condition where = DSL.trueCondition();
        if (state != null) where = where.and(DMCA_NOTICES.STATE.eq(state));
        if (uploaderId != null) where = where.and(DMCA_NOTICES.UPLOADER_ID.eq(uploaderId));
        if (beforeId != null) where = where.and(DMCA_NOTICES.ID.lt(beforeId));
        Condition cond = where;
        return SqlErrors.call(() -> dsl.selectFrom(DMCA_NOTICES).where(cond).orderBy(DMCA_NOTICES.ID.desc()).limit(limit)
                .fetch(DmcaRepository::toNotice));
    }

    /**
     * Records the uploader's counter-notice on a notice whose content is disabled, and when it may be restored.
     *
     * @return the notice, or empty if it is not in state content_disabled
     */
    public Optional<DmcaNotice> counterNotice(long id, Counter c, Long actorId, Instant restoreAfter) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            int n = ctx.update(DMCA_NOTICES).set(DMCA_NOTICES.STATE, "counter_noticed")
                    .set(DMCA_NOTICES.COUNTER_NAME, c.name()).set(DMCA_NOTICES.COUNTER_ADDRESS, c.address())
                    .set(DMCA_NOTICES.COUNTER_STATEMENT, c.statement()).set(DMCA_NOTICES.COUNTER_SIGNATURE, c.signature())
                    .set(DMCA_NOTICES.COUNTER_RECEIVED_AT, Times.toDb(now))
                    .set(DMCA_NOTICES.RESTORE_AFTER, Times.toDb(restoreAfter))
                    .where(DMCA_NOTICES.ID.eq(id)).and(DMCA_NOTICES.STATE.eq("content_disabled")).execute();
            if (n == 0) return Optional.<DmcaNotice>empty();
            DmcaNotice d = read(ctx, id).orElseThrow();
            ModerationLogRepository.write(ctx, now, new Entry(null, actorId, ModerationActionType.DMCA_COUNTER_NOTICE,
                    d.uploaderId(), null, null, "DMCA notice " + id + ": counter-notice from " + c.name()
                            + ", restorable after " + restoreAfter));
            return Optional.of(d);
        }));
    }

    /**
     * Ends a notice: {@code restored} (only from counter_noticed) or {@code kept_down} (from either open state).
     *
     * @return the notice, or empty if it was not in a state that allows it
     */
    public Optional<DmcaNotice> close(long id, boolean restored, long adminId, String note) {
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            Condition from = restored ? DMCA_NOTICES.STATE.eq("counter_noticed")
                    : DMCA_NOTICES.STATE.in("content_disabled", "counter_noticed");
            int n = ctx.update(DMCA_NOTICES).set(DMCA_NOTICES.STATE, restored ? "restored" : "kept_down")
                    .set(DMCA_NOTICES.CLOSED_AT, Times.toDb(now)).set(DMCA_NOTICES.CLOSED_BY, adminId)
                    .set(DMCA_NOTICES.CLOSING_NOTE, note).where(DMCA_NOTICES.ID.eq(id)).and(from).execute();
            if (n == 0) return Optional.<DmcaNotice>empty();
            DmcaNotice d = read(ctx, id).orElseThrow();
            ModerationLogRepository.write(ctx, now, new Entry(null, adminId,
                    restored ? ModerationActionType.DMCA_RESTORED : ModerationActionType.DMCA_KEPT_DOWN, d.uploaderId(), null,
                    note, "DMCA notice " + id + ": recording " + d.recordingId() + (restored ? " restored" : " kept down")));
            return Optional.of(d);
        }));
    }

    /** Whether the recording is held by a DMCA notice that is not closed (a plain restore must not lift it). */
    public boolean holds(long recordingId) {
        return SqlErrors.call(() -> dsl.fetchExists(DMCA_NOTICES, DMCA_NOTICES.RECORDING_ID.eq(recordingId)
                .and(DMCA_NOTICES.STATE.in("content_disabled", "counter_noticed", "kept_down"))));
    }

    private static Optional<DmcaNotice> read(DSLContext ctx, long id) {
        return ctx.selectFrom(DMCA_NOTICES).where(DMCA_NOTICES.ID.eq(id)).fetchOptional(DmcaRepository::toNotice);
    }

    private static DmcaNotice toNotice(DmcaNoticesRecord r) {
        return new DmcaNotice(r.getId(), r.getRecordingId(), r.getUploaderId(), r.getClaimantName(), r.getClaimantEmail(),
                r.getClaimantAddress(), r.getWorkDescription(), r.getInfringingLocation(), r.getSignature(), r.getState(),
                Times.fromDb(r.getReceivedAt()), r.getRecordedBy(), Times.fromDb(r.getDisabledAt()), r.getCounterName(),
                r.getCounterAddress(), r.getCounterStatement(), r.getCounterSignature(),
                Times.fromDb(r.getCounterReceivedAt()), Times.fromDb(r.getRestoreAfter()), Times.fromDb(r.getClosedAt()),
                r.getClosedBy(), r.getClosingNote());
    }
}
