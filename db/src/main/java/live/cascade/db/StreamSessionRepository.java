package live.cascade.db;

import static live.cascade.db.jooq.Tables.CHANNELS;
import static live.cascade.db.jooq.Tables.STREAM_SESSIONS;
import static live.cascade.db.jooq.Tables.VIEWER_SESSIONS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.StreamSessionsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Broadcasts. A channel has at most one live (not ended) session; the schema enforces it. */
public final class StreamSessionRepository {

    private final DSLContext dsl;

    StreamSessionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Starts a new broadcast of the channel at {@code at}. A session still open for the channel is ended at
     * {@code at} first: one channel has one publisher, so a new start means the previous one is gone (a publisher
     * that reconnected, or a node that died without ending its session). Ending it rather than reusing it keeps
     * each broadcast's start time and peak honest. Concurrent starts for one channel queue on the channel's row lock.
     *
     * @throws ReferenceNotFoundException field "channelId" if the channel does not exist
     */
    public StreamSession start(long channelId, Instant at) {
        Objects.requireNonNull(at, "at");
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            if (ctx.select(CHANNELS.ID).from(CHANNELS).where(CHANNELS.ID.eq(channelId)).forUpdate()
                    .fetchOptional().isEmpty()) {
                throw new ReferenceNotFoundException("channelId", null, null);
            }
            ctx.update(STREAM_SESSIONS)
                    .set(STREAM_SESSIONS.ENDED_AT, endTime(at))
                    .set(STREAM_SESSIONS.LIVE_CHANNEL_ID, (Long) null)
                    .set(STREAM_SESSIONS.VIEWER_COUNT, 0)
                    .where(STREAM_SESSIONS.LIVE_CHANNEL_ID.eq(channelId))
                    .execute();
            return toSession(ctx.insertInto(STREAM_SESSIONS)
                    .set(STREAM_SESSIONS.CHANNEL_ID, channelId)
                    .set(STREAM_SESSIONS.LIVE_CHANNEL_ID, channelId)
                    .set(STREAM_SESSIONS.STARTED_AT, Times.toDb(at))
                    .set(STREAM_SESSIONS.HEARTBEAT_AT, Times.toDb(at))
                    .set(STREAM_SESSIONS.PEAK_VIEWERS, 0)
                    .set(STREAM_SESSIONS.VIEWER_COUNT, 0)
                    .returning()
                    .fetchSingle());
        }));
    }

    /**
     * Ends the session at {@code at} (never before it started) and sets its viewer count to 0.
     *
     * @return false if there is no such session or it had already ended
     */
    public boolean end(long sessionId, Instant at) {
        Objects.requireNonNull(at, "at");
        return SqlErrors.call(() -> dsl.update(STREAM_SESSIONS)
                .set(STREAM_SESSIONS.ENDED_AT, endTime(at))
                .set(STREAM_SESSIONS.LIVE_CHANNEL_ID, (Long) null)
                .set(STREAM_SESSIONS.VIEWER_COUNT, 0)
                .where(STREAM_SESSIONS.ID.eq(sessionId))
                .and(STREAM_SESSIONS.ENDED_AT.isNull())
                .execute() == 1);
    }

    /**
     * Ends every session that is still open, at {@code at}: for a single node starting up, whose previous run
     * cannot have left a broadcast running. Returns how many ended.
     */
    public int endAllOpen(Instant at) {
        Objects.requireNonNull(at, "at");
        return SqlErrors.call(() -> dsl.update(STREAM_SESSIONS)
                .set(STREAM_SESSIONS.ENDED_AT, endTime(at))
                .set(STREAM_SESSIONS.LIVE_CHANNEL_ID, (Long) null)
                .set(STREAM_SESSIONS.VIEWER_COUNT, 0)
                .where(STREAM_SESSIONS.ENDED_AT.isNull())
                .execute());
    }

    /**
     * Marks the given live sessions as still running at {@code at} (the node that owns them calls this periodically).
     * Sessions that have ended are left alone. Returns how many were refreshed.
     */
    public int heartbeat(Collection<Long> sessionIds, Instant at) {
        Objects.requireNonNull(at, "at");
        if (sessionIds.isEmpty()) return 0;
        return SqlErrors.call(() -> dsl.update(STREAM_SESSIONS)
                .set(STREAM_SESSIONS.HEARTBEAT_AT, DSL.greatest(STREAM_SESSIONS.STARTED_AT, DSL.val(Times.toDb(at))))
                .where(STREAM_SESSIONS.ID.in(sessionIds))
                .and(STREAM_SESSIONS.ENDED_AT.isNull())
                .execute());
    }

    /**
     * Ends every live session whose last heartbeat (its start, if it never had one) is before {@code cutoff}: their
     * node stopped without ending them (a crash, a power cut). Each ends at its last sign of life, and so do the
     * channel's open viewer sessions, so watch time does not grow while nobody could have watched. Safe to run on
     * several nodes at once (the update only takes a session that is still open). Returns the sessions ended.
     */
    public List<StreamSession> endStale(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        org.jooq.Field<java.time.OffsetDateTime> lastSeen = DSL.coalesce(STREAM_SESSIONS.HEARTBEAT_AT, STREAM_SESSIONS.STARTED_AT);
        return SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            List<StreamSession> ended = new ArrayList<>();
            for (StreamSessionsRecord r : ctx.selectFrom(STREAM_SESSIONS)
                    .where(STREAM_SESSIONS.ENDED_AT.isNull())
                    .and(lastSeen.lt(Times.toDb(cutoff)))
                    .fetch()) {
                java.time.OffsetDateTime at = r.getHeartbeatAt() != null ? r.getHeartbeatAt() : r.getStartedAt();
                int n = ctx.update(STREAM_SESSIONS)
                        .set(STREAM_SESSIONS.ENDED_AT, at)
                        .set(STREAM_SESSIONS.LIVE_CHANNEL_ID, (Long) null)
                        .set(STREAM_SESSIONS.VIEWER_COUNT, 0)
                        .where(STREAM_SESSIONS.ID.eq(r.getId()))
                        .and(STREAM_SESSIONS.ENDED_AT.isNull())
                        .execute();
                if (n == 0) continue;
                ctx.update(VIEWER_SESSIONS)
                        .set(VIEWER_SESSIONS.ENDED_AT, DSL.greatest(VIEWER_SESSIONS.STARTED_AT, DSL.val(at)))
                        .where(VIEWER_SESSIONS.CHANNEL_ID.eq(r.getChannelId()))
                        .and(VIEWER_SESSIONS.ENDED_AT.isNull())
                        .execute();
                r.setEndedAt(at);
                r.setViewerCount(0);
                ended.add(toSession(r));
            }
            return ended;
        }));
    }

    /**
     * Records the current audience of a live session and raises its peak if exceeded.
     *
     * @return false if there is no such session or it has ended
     */
    public boolean updateViewers(long sessionId, int current) {
        if (current < 0) {
            throw new IllegalArgumentException("viewer count must not be negative, got " + current);
        }
        return SqlErrors.call(() -> dsl.update(STREAM_SESSIONS)
                .set(STREAM_SESSIONS.VIEWER_COUNT, current)
                .set(STREAM_SESSIONS.PEAK_VIEWERS, DSL.greatest(STREAM_SESSIONS.PEAK_VIEWERS, DSL.val(current)))
                .where(STREAM_SESSIONS.ID.eq(sessionId))
                .and(STREAM_SESSIONS.ENDED_AT.isNull())
                .execute() == 1);
    }

    public Optional<StreamSession> findById(long sessionId) {
        return SqlErrors.call(() -> dsl.selectFrom(STREAM_SESSIONS).where(STREAM_SESSIONS.ID.eq(sessionId))
                .fetchOptional().map(StreamSessionRepository::toSession));
    }

    /**
     * Live sessions on the channels {@code ownerId} owns, other than {@code exceptChannelId} (the channel about to go
     * live, whose own session a reconnecting publisher replaces).
     */
    public int countLiveOwnedBy(long ownerId, long exceptChannelId) {
        return SqlErrors.call(() -> dsl.fetchCount(dsl.select(STREAM_SESSIONS.ID).from(STREAM_SESSIONS)
                .join(CHANNELS).on(CHANNELS.ID.eq(STREAM_SESSIONS.LIVE_CHANNEL_ID))
                .where(CHANNELS.OWNER_ID.eq(ownerId)).and(CHANNELS.ID.ne(exceptChannelId))));
    }

    /** The channel's live session, if it is live. */
    public Optional<StreamSession> findLive(long channelId) {
        return SqlErrors.call(() -> dsl.selectFrom(STREAM_SESSIONS)
                .where(STREAM_SESSIONS.LIVE_CHANNEL_ID.eq(channelId))
                .fetchOptional().map(StreamSessionRepository::toSession));
    }

    /**
     * The channel's sessions, newest first, that started before {@code before} (null: no bound). To page, pass the
     * last item's {@code startedAt}.
     */
    public List<StreamSession> listForChannel(long channelId, int limit, Instant before) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        Condition where = STREAM_SESSIONS.CHANNEL_ID.eq(channelId);
        if (before != null) {
            where = where.and(STREAM_SESSIONS.STARTED_AT.lt(Times.toDb(before)));
        }
        Condition condition = where;
        return SqlErrors.call(() -> dsl.selectFrom(STREAM_SESSIONS).where(condition)
                .orderBy(STREAM_SESSIONS.STARTED_AT.desc(), STREAM_SESSIONS.ID.desc())
                .limit(limit)
                .fetch(StreamSessionRepository::toSession));
    }

    /** A node's clock may lag the one that started the session; an end never precedes the start. */
    private static org.jooq.Field<java.time.OffsetDateTime> endTime(Instant at) {
        return DSL.greatest(STREAM_SESSIONS.STARTED_AT, DSL.val(Times.toDb(at)));
    }

    private static StreamSession toSession(StreamSessionsRecord r) {
        return new StreamSession(r.getId(), r.getChannelId(), Times.fromDb(r.getStartedAt()),
                Times.fromDb(r.getEndedAt()), r.getPeakViewers(), r.getViewerCount());
    }
}
