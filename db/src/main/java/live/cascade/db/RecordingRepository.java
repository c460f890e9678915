package live.cascade.db;

import static live.cascade.db.jooq.Tables.RECORDINGS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.RecordingsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Recordings and clips: created when a broadcast ends (or a clip is cut), published, taken down, expired. */
public final class RecordingRepository {
    public static final int MAX_PAGE = 100;
    private static final int MAX_TEXT = 500;

    private final DSLContext dsl;
    private final Clock clock;

    RecordingRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Records a new draft.
     *
     * @throws ReferenceNotFoundException field "channelId", "streamSessionId" or "parentId"
     */
    public Recording create(NewRecording n) {
        Objects.requireNonNull(n, "recording");
        // In a transaction: H2 2.5 keeps the row of an INSERT ... RETURNING that failed a foreign key check when it
        // runs in auto-commit mode; the rollback removes it.
        return SqlErrors.call(() -> dsl.transactionResult(tx -> toRecording(tx.dsl().insertInto(RECORDINGS)
                .set(RECORDINGS.CHANNEL_ID, n.channelId())
                .set(RECORDINGS.STREAM_SESSION_ID, n.streamSessionId())
                .set(RECORDINGS.PARENT_ID, n.parentId())
                .set(RECORDINGS.TITLE, cut(n.title(), 140))
                .set(RECORDINGS.STATUS, n.status())
                .set(RECORDINGS.ERROR, n.error() == null ? null : cut(n.error(), MAX_TEXT))
                .set(RECORDINGS.CONTAINER, n.container())
                .set(RECORDINGS.VIDEO_CODEC, n.videoCodec())
                .set(RECORDINGS.AUDIO_CODEC, n.audioCodec())
                .set(RECORDINGS.WIDTH, n.width())
                .set(RECORDINGS.HEIGHT, n.height())
                .set(RECORDINGS.DURATION_MS, n.durationMillis())
                .set(RECORDINGS.SIZE_BYTES, n.sizeBytes())
                .set(RECORDINGS.MEDIA_PATH, n.mediaPath())
                .set(RECORDINGS.THUMBNAIL_PATH, n.thumbnailPath())
                .set(RECORDINGS.CLIP_START_MS, n.clipStartMillis())
                .set(RECORDINGS.PARTS, n.parts())
                .set(RECORDINGS.STARTED_AT, Times.toDb(n.startedAt()))
                .set(RECORDINGS.CREATED_AT, Times.toDb(clock.instant()))
                .returning()
                .fetchSingle())));
    }

    public Optional<Recording> findById(long id) {
        return SqlErrors.call(() -> dsl.selectFrom(RECORDINGS).where(RECORDINGS.ID.eq(id)).fetchOptional()
                .map(RecordingRepository::toRecording));
    }

    /** Which recordings a listing shows. */
    public enum Visibility {
        /** Published and not taken down: what everyone sees. */
        PUBLISHED,
        /** Drafts too, not taken down: the channel's owner. */
        OWNER,
        /** Everything, taken down included: admins. */
        ALL
    }

    /**
     * A channel's recordings, newest first, with ids below {@code beforeId} (null: from the newest).
     *
     * @param clips also list clips (otherwise only whole broadcasts)
     * @param limit 1 to {@value #MAX_PAGE}
     */
    public List<Recording> listForChannel(long channelId, Visibility visibility, boolean clips, int limit, Long beforeId) {
        Condition c = RECORDINGS.CHANNEL_ID.eq(channelId);
        if (!clips) c = c.and(RECORDINGS.CLIP_START_MS.isNull());
        return list(c, visibility, limit, beforeId);
    }

    /** Clips cut from {@code parentId}, newest first. */
    public List<Recording> listClips(long parentId, Visibility visibility, int limit, Long beforeId) {
        return list(RECORDINGS.PARENT_ID.eq(parentId), visibility, limit, beforeId);
    }

    private List<Recording> list(Condition base, Visibility visibility, int limit, Long beforeId) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1-" + MAX_PAGE + ", got " + limit);
        Condition where = base;
        if (visibility != Visibility.ALL) where = where.and(RECORDINGS.TAKEN_DOWN_AT.isNull());
        if (visibility == Visibility.PUBLISHED) where = where.and(RECORDINGS.PUBLISHED_AT.isNotNull());
        if (beforeId != null) where = where.and(RECORDINGS.ID.lt(beforeId));
        Condition condition = where;
        return SqlErrors.call(() -> dsl.selectFrom(RECORDINGS).where(condition).orderBy(RECORDINGS.ID.desc()).limit(limit)
                .fetch(RecordingRepository::toRecording));
    }

    /** Publishes a draft (idempotent: a published recording keeps its first publication time). Empty if none. */
    public Optional<Recording> publish(long id, Instant at) {
        return SqlErrors.call(() -> {
            dsl.update(RECORDINGS).set(RECORDINGS.PUBLISHED_AT, Times.toDb(at))
                    .where(RECORDINGS.ID.eq(id)).and(RECORDINGS.PUBLISHED_AT.isNull()).execute();
            return findById(id);
        });
    }

    /** An admin takes a recording down (hidden from everyone else, playback refused). Empty if none. */
    public Optional<Recording> takeDown(long id, long adminId, String reason, Instant at) {
        return SqlErrors.call(() -> {
            dsl.update(RECORDINGS)
                    .set(RECORDINGS.TAKEN_DOWN_AT, Times.toDb(at))
                    .set(RECORDINGS.TAKEN_DOWN_BY, adminId)
                    .set(RECORDINGS.TAKEDOWN_REASON, reason == null ? null : cut(reason, MAX_TEXT))
                    .where(RECORDINGS.ID.eq(id)).execute();
            return findById(id);
        });
    }

    /** Undoes a takedown. Empty if none. */
    public Optional<Recording> restore(long id) {
        return SqlErrors.call(() -> {
            dsl.update(RECORDINGS)
                    .set(RECORDINGS.TAKEN_DOWN_AT, (java.time.OffsetDateTime) null)
                    .set(RECORDINGS.TAKEN_DOWN_BY, (Long) null)
                    .set(RECORDINGS.TAKEDOWN_REASON, (String) null)
                    .where(RECORDINGS.ID.eq(id)).execute();
            return findById(id);
        });
    }

    /** Deletes the row (its clips stay, without a parent); false if there was none. Files are the caller's. */
    public boolean delete(long id) {
        return SqlErrors.call(() -> dsl.deleteFrom(RECORDINGS).where(RECORDINGS.ID.eq(id)).execute() == 1);
    }

    /**
     * Recordings past their retention, oldest first: drafts created before {@code draftsCreatedBefore} and published
     * ones published before {@code publishedBefore}; a null cutoff keeps that kind forever. Taken-down recordings never
     * expire: they are kept for the administrators (evidence of what was taken down, and why) until one deletes them.
     */
    public List<Recording> expired(Instant draftsCreatedBefore, Instant publishedBefore, int limit) {
        Condition where = DSL.falseCondition();
        if (draftsCreatedBefore != null) {
            where = where.or(RECORDINGS.PUBLISHED_AT.isNull().and(RECORDINGS.CREATED_AT.lt(Times.toDb(draftsCreatedBefore))));
        }
        if (publishedBefore != null) {
            where = where.or(RECORDINGS.PUBLISHED_AT.lt(Times.toDb(publishedBefore)));
        }
        Condition condition = where.and(RECORDINGS.TAKEN_DOWN_AT.isNull());
        return SqlErrors.call(() -> dsl.selectFrom(RECORDINGS).where(condition).orderBy(RECORDINGS.ID.asc()).limit(limit)
                .fetch(RecordingRepository::toRecording));
    }

    /** Whether an administrator took down any recording or clip of the channel (and has not restored it). */
    public boolean anyTakenDown(long channelId) {
        return SqlErrors.call(() -> dsl.fetchExists(dsl.selectOne().from(RECORDINGS)
                .where(RECORDINGS.CHANNEL_ID.eq(channelId)).and(RECORDINGS.TAKEN_DOWN_AT.isNotNull())));
    }

    /** Whether any row refers to the media file {@code mediaPath} (for the cleaner's sweep of stray files). */
    public boolean mediaPathKnown(String mediaPath) {
        return SqlErrors.call(() -> dsl.fetchExists(dsl.selectOne().from(RECORDINGS).where(RECORDINGS.MEDIA_PATH.eq(mediaPath))));
    }

    /**
     * Records that the row's media (and poster, if {@code thumbnailKey} is not null) now live in object storage.
     * Returns false when the row is gone (deleted meanwhile), so the caller can remove what it uploaded.
     */
    public boolean markStored(long id, String storageKey, String thumbnailKey) {
        return SqlErrors.call(() -> dsl.update(RECORDINGS)
                .set(RECORDINGS.STORAGE_KEY, storageKey)
                .set(RECORDINGS.THUMBNAIL_KEY, thumbnailKey)
                .where(RECORDINGS.ID.eq(id)).execute() == 1);
    }

    /** Rows whose media is still on a node's local disk, oldest first, after {@code afterId} (for uploads and migration). */
    public List<Recording> local(long afterId, int limit) {
        return SqlErrors.call(() -> dsl.selectFrom(RECORDINGS)
                .where(RECORDINGS.STORAGE_KEY.isNull()).and(RECORDINGS.ID.gt(afterId))
                .orderBy(RECORDINGS.ID.asc()).limit(Math.min(limit, 1000)).fetch(RecordingRepository::toRecording));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Recording toRecording(RecordingsRecord r) {
        return new Recording(r.getId(), r.getChannelId(), r.getStreamSessionId(), r.getParentId(), r.getTitle(), r.getStatus(),
                r.getError(), r.getContainer(), r.getVideoCodec(), r.getAudioCodec(), r.getWidth(), r.getHeight(),
                r.getDurationMs(), r.getSizeBytes(), r.getMediaPath(), r.getThumbnailPath(), r.getClipStartMs(),
                Times.fromDb(r.getStartedAt()), Times.fromDb(r.getCreatedAt()), Times.fromDb(r.getPublishedAt()),
                Times.fromDb(r.getTakenDownAt()), r.getTakenDownBy(), r.getTakedownReason(), r.getParts(),
                r.getStorageKey(), r.getThumbnailKey());
    }
}
