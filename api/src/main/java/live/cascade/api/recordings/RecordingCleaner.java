package live.cascade.api.recordings;

import live.cascade.db.Database;
import live.cascade.db.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Enforces retention: deletes drafts older than {@code --recording-retention-unpublished} and published recordings
 * published longer ago than {@code --recording-retention-published} (zero keeps them), files first, then the row.
 * Also tidies the recordings directory: directories of deleted channels are removed; a recording whose row was never
 * written (the database was unreachable and the write was lost) is re-attached from its {@link PendingRecording}
 * file, never deleted for lacking a row; a clip directory no row refers to a day later (its request failed) is removed.
 */
public final class RecordingCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingCleaner.class);
    private static final Duration STRAY_AGE = Duration.ofDays(1);

    private final Database db;
    private final RecordingFiles files;
    private final RecordingStorage storage;
    private final Clock clock;
    private final Duration retentionUnpublished;
    private final Duration retentionPublished;
    private final RecordingEvents events;
    /** Row-less recordings already reported, so each is logged once, not every pass. */
    private final Set<Path> keptStrays = ConcurrentHashMap.newKeySet();

    public RecordingCleaner(Database db, RecordingFiles files, RecordingStorage storage, Clock clock, Duration retentionUnpublished,
                            Duration retentionPublished, RecordingEvents events) {
        this.events = events;
        this.db = db;
        this.files = files;
        this.storage = storage;
        this.clock = clock;
        this.retentionUnpublished = retentionUnpublished;
        this.retentionPublished = retentionPublished;
    }

    /** How often to run: a quarter of the shortest retention, between 1 second and 10 minutes. */
    public Duration interval() {
        Duration shortest = Duration.ofMinutes(40);
        if (!retentionUnpublished.isZero()) shortest = min(shortest, retentionUnpublished);
        if (!retentionPublished.isZero()) shortest = min(shortest, retentionPublished);
        Duration quarter = shortest.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

    /** One pass; returns how many recordings were deleted. */
    public int runOnce() {
        Instant now = clock.instant();
        Instant drafts = retentionUnpublished.isZero() ? null : now.minus(retentionUnpublished);
        Instant published = retentionPublished.isZero() ? null : now.minus(retentionPublished);
        int deleted = 0;
        if (drafts != null || published != null) {
            boolean storeAway = false;
            while (!storeAway) {
                List<Recording> batch = db.recordings().expired(drafts, published, 100);
                for (Recording r : batch) {
                    try {
                        // Objects before the row: a row left behind is deleted next pass; an object left behind never would be.
                        storage.deleteMedia(r);
                    } catch (live.cascade.api.storage.StorageException e) {
                        LOG.warn("retention: the objects of recording {} could not be deleted ({}); trying again next pass", r.id(), e.getMessage());
                        storeAway = true;
                        break;
                    }
                    if (db.recordings().delete(r.id())) deleted++;
                }
                if (batch.size() < 100) break;
            }
            if (deleted > 0) LOG.info("deleted {} recording(s) past their retention", deleted);
        }
        sweepStrays(now);
        return deleted;
    }

    private void sweepStrays(Instant now) {
        Path root = files.root();
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> channels = Files.list(root)) {
            for (Path channelDir : channels.toList()) {
                String name = channelDir.getFileName().toString();
                if (!Files.isDirectory(channelDir) || !name.chars().allMatch(Character::isDigit) || name.length() > 18) continue;
                if (db.channels().findById(Long.parseLong(name)).isEmpty()) {
                    LOG.info("removing recordings of deleted channel {}", name);
                    RecordingFiles.deleteTree(channelDir);
                    continue;
                }
                try (Stream<Path> recs = Files.list(channelDir)) {
                    for (Path dir : recs.toList()) {
                        if (!Files.isDirectory(dir)) continue;
                        Optional<PendingRecording> pending = PendingRecording.read(dir);
                        if (pending.isPresent()) {
                            // Its row was never written (or written without the pending file going): write it now.
                            pending.get().attach(db, dir, events);
                            continue;
                        }
                        if (!olderThan(dir, now.minus(STRAY_AGE)) || referenced(dir)) continue;
                        if (holdsRecording(dir)) {
                            // No row and nothing to re-create one from: keep it for a person to decide, never delete it.
                            if (keptStrays.add(dir)) LOG.warn("{} holds a recording no row refers to and no {}: kept; delete it by hand if it is not wanted",
                                    dir, PendingRecording.FILE);
                            continue;
                        }
                        LOG.info("removing {}: no recording refers to it", dir);
                        RecordingFiles.deleteTree(dir);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not scan {} for stray recordings: {}", root, e.toString());
        }
    }

    /** True when neither the directory nor any file in it changed since {@code t} (a live recording keeps growing). */
    private static boolean olderThan(Path dir, Instant t) throws IOException {
        if (!Files.getLastModifiedTime(dir).toInstant().isBefore(t)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                FileTime m = Files.getLastModifiedTime(f);
                if (!m.toInstant().isBefore(t)) return false;
            }
        }
        return true;
    }

    /** A broadcast's recording (recording.mp4, recording-2.mp4, ...), as opposed to a clip. */
    private static boolean holdsRecording(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("recording"));
        }
    }

    private boolean referenced(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                if ((n.startsWith("recording.") || n.startsWith("clip.")) && db.recordings().mediaPathKnown(files.relative(f))) return true;
            }
        }
        return false;
    }
}
