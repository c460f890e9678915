package live.cascade.api.recordings;

import live.cascade.api.http.Json;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import live.cascade.db.StreamSession;
import live.cascade.hls.FinishedRecording;
import live.cascade.hls.record.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A finished recording whose row is not written yet, as a file beside its media ({@value #FILE}): everything the row
 * needs that only the recorder knew (codecs, size, duration). It is written before the row is queued and removed once
 * the row exists, so a recording whose row could not be written (the database was down, the write queue overflowed,
 * the node stopped) is re-attached later by the cleaner instead of being taken for a stray and deleted. The title and
 * the broadcast it belongs to are looked up when the row is written.
 */
public record PendingRecording(long channelId, String slug, String status, String error, String container, String videoCodec,
                               String audioCodec, int width, int height, long durationMillis, long sizeBytes, String mediaPath,
                               String thumbnailPath, Instant startedAt, Instant endedAt, int parts) {
    private static final Logger LOG = LoggerFactory.getLogger(PendingRecording.class);
    public static final String FILE = "pending-row.json";
    /** Check-then-create of a row is one step per node: the write queue and the cleaner may both attach one directory. */
    private static final Object ATTACHING = new Object();

    static PendingRecording of(FinishedRecording f, RecordingFiles files) {
        RecordingResult r = f.result();
        return new PendingRecording(f.channelId(), f.slug(), r.failed() ? Recording.PARTIAL : Recording.READY, r.error(),
                r.container().extension(), r.videoCodec(), r.audioCodec(), r.width(), r.height(), r.durationMicros() / 1000,
                r.bytes(), files.relative(r.file()), f.thumbnail() == null ? null : files.relative(f.thumbnail()),
                f.startedAt(), f.endedAt(), Math.max(1, r.parts().size()));
    }

    /** Writes this beside the media (atomically: a half-written file would be unreadable later). */
    void save(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(this));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<PendingRecording> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), PendingRecording.class));
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; the recording in {} stays on disk without a row", file, e.getMessage(), dir);
            return Optional.empty();
        }
    }

    /**
     * Writes the row unless one names this media already, then removes the pending file. Throws what the database
     * throws (the caller retries). A channel deleted meanwhile takes the recording with it. {@code events} hear of
     * the row this wrote (not of one that existed already).
     */
    void attach(Database db, Path dir, RecordingEvents events) {
        synchronized (ATTACHING) {
            Optional<Channel> channel = db.channels().findById(channelId);
            if (channel.isEmpty()) {
                LOG.info("channel {} was deleted while live; its recording is discarded", slug);
                RecordingFiles.deleteTree(dir);
                return;
            }
            if (!db.recordings().mediaPathKnown(mediaPath)) {
                Recording rec = db.recordings().create(new NewRecording(channelId, session(db), null, channel.get().title(), status, error,
                        container, videoCodec, audioCodec, width, height, durationMillis, sizeBytes, mediaPath, thumbnailPath, null,
                        startedAt, parts));
                LOG.info("channel {}: recording {} saved as a draft ({} s, {} MB{}{})", slug, rec.id(), rec.durationMillis() / 1000,
                        rec.sizeBytes() / 1_000_000, rec.parts() > 1 ? ", in " + rec.parts() + " parts" : "",
                        error != null ? ", partial: " + error : "");
                events.recordingReady(rec, slug);
            }
            try {
                Files.deleteIfExists(dir.resolve(FILE));
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {} (harmless: the row exists)", dir.resolve(FILE), e.toString());
            }
        }
    }

    /**
     * The broadcast (stream session) this recording belongs to: the newest of the channel's latest few that started
     * around it (after an outage, a later broadcast may have started before this row is written).
     */
    private Long session(Database db) {
        for (StreamSession s : db.streamSessions().listForChannel(channelId, 5, null)) {
            if (!s.startedAt().isBefore(startedAt.minus(Duration.ofMinutes(1))) && !s.startedAt().isAfter(endedAt)) return s.id();
        }
        return null;
    }
}
