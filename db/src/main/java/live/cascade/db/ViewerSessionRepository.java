package live.cascade.db;

import static live.cascade.db.jooq.Tables.VIEWER_SESSIONS;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.ViewerSessionsRecord;
import org.jooq.DSLContext;

/** Viewer sessions, the raw material of watch-time analytics. */
public final class ViewerSessionRepository {
    private final DSLContext dsl;

    ViewerSessionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Records a viewer starting to watch.
     *
     * @param protocol "whep" or "hls"
     * @throws ReferenceNotFoundException field "channelId" if the channel does not exist
     * @throws DuplicateException field "sessionKey" if the key was recorded before
     */
    public ViewerSession start(long channelId, Long streamSessionId, String sessionKey, String protocol, Instant at) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(protocol, "protocol");
        return SqlErrors.call(() -> toViewerSession(dsl.insertInto(VIEWER_SESSIONS)
                .set(VIEWER_SESSIONS.CHANNEL_ID, channelId)
                .set(VIEWER_SESSIONS.STREAM_SESSION_ID, streamSessionId)
                .set(VIEWER_SESSIONS.SESSION_KEY, sessionKey)
                .set(VIEWER_SESSIONS.PROTOCOL, protocol)
                .set(VIEWER_SESSIONS.STARTED_AT, Times.toDb(at))
                .returning()
                .fetchSingle()));
    }

    /** Records the end of a session that is still open; false if there is none with that key (or it already ended). */
    public boolean end(String sessionKey, Instant at) {
        return SqlErrors.call(() -> dsl.update(VIEWER_SESSIONS)
                .set(VIEWER_SESSIONS.ENDED_AT, Times.toDb(at))
                .where(VIEWER_SESSIONS.SESSION_KEY.eq(sessionKey)).and(VIEWER_SESSIONS.ENDED_AT.isNull())
                .execute() == 1);
    }

    /** Ends every open session of a channel (its broadcast ended); returns how many. */
    public int endOpen(long channelId, Instant at) {
        return SqlErrors.call(() -> dsl.update(VIEWER_SESSIONS)
                .set(VIEWER_SESSIONS.ENDED_AT, Times.toDb(at))
                .where(VIEWER_SESSIONS.CHANNEL_ID.eq(channelId)).and(VIEWER_SESSIONS.ENDED_AT.isNull())
                .execute());
    }

    public Optional<ViewerSession> findByKey(String sessionKey) {
        return SqlErrors.call(() -> dsl.selectFrom(VIEWER_SESSIONS).where(VIEWER_SESSIONS.SESSION_KEY.eq(sessionKey))
                .fetchOptional().map(ViewerSessionRepository::toViewerSession));
    }

    /** A channel's sessions that started at or after {@code since}, newest first, at most {@code limit}. */
    public List<ViewerSession> listForChannel(long channelId, Instant since, int limit) {
        return SqlErrors.call(() -> dsl.selectFrom(VIEWER_SESSIONS)
                .where(VIEWER_SESSIONS.CHANNEL_ID.eq(channelId)).and(VIEWER_SESSIONS.STARTED_AT.ge(Times.toDb(since)))
                .orderBy(VIEWER_SESSIONS.STARTED_AT.desc(), VIEWER_SESSIONS.ID.desc())
                .limit(limit)
                .fetch(ViewerSessionRepository::toViewerSession));
    }

    /** How long a session lasted, up to {@code now} while it is still open. */
    public static Duration watched(ViewerSession s, Instant now) {
        Instant end = s.endedAt() == null ? now : s.endedAt();
        return end.isBefore(s.startedAt()) ? Duration.ZERO : Duration.between(s.startedAt(), end);
    }

    private static ViewerSession toViewerSession(ViewerSessionsRecord r) {
        return new ViewerSession(r.getId(), r.getChannelId(), r.getStreamSessionId(), r.getSessionKey(), r.getProtocol(),
                Times.fromDb(r.getStartedAt()), r.getEndedAt() == null ? null : Times.fromDb(r.getEndedAt()));
    }
}
