package live.cascade.api.recordings;

import live.cascade.api.storage.StorageException;
import live.cascade.db.Database;
import live.cascade.db.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;

/**
 * Moves an existing local library to object storage ({@code storage migrate --to s3}): every row whose media is
 * still on this node's disk goes through the same verified upload as a new recording, one after another, in id
 * order. Resumable and idempotent: a row is marked stored only once all its objects are verified, and the local
 * copy goes only after that, so a run stopped anywhere is simply run again; rows already stored are not touched,
 * and a second run over a migrated library moves nothing.
 */
public final class LibraryMigration {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryMigration.class);

    /**
     * @param moved    rows uploaded (and their local copies removed) by this run
     * @param missing  rows still marked local whose media is not on this node's disk (another node's, or lost)
     * @param failed   rows whose upload failed this time (run again)
     */
    public record Result(int moved, int missing, int failed) {
    }

    private final Database db;
    private final RecordingFiles files;
    private final RecordingStorage storage;

    public LibraryMigration(Database db, RecordingFiles files, RecordingStorage storage) {
        if (!storage.remote()) throw new IllegalArgumentException("migration needs object storage (--storage s3)");
        this.db = db;
        this.files = files;
        this.storage = storage;
    }

    public Result run() {
        int moved = 0;
        int missing = 0;
        int failed = 0;
        long after = 0;
        while (true) {
            var batch = db.recordings().local(after, 200);
            for (Recording r : batch) {
                after = r.id();
                if (files.resolve(r.mediaPath()).filter(Files::isRegularFile).isEmpty()) {
                    missing++;
                    LOG.warn("recording {}: its media {} is not on this node; skipped", r.id(), r.mediaPath());
                    continue;
                }
                try {
                    storage.upload(r.id());
                    moved++;
                } catch (StorageException e) {
                    failed++;
                    LOG.warn("recording {}: not moved: {}", r.id(), e.getMessage());
                }
            }
            if (batch.size() < 200) break;
        }
        return new Result(moved, missing, failed);
    }
}
