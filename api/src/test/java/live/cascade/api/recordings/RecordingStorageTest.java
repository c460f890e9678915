package live.cascade.api.recordings;

import live.cascade.api.config.StorageConfig;
import live.cascade.api.storage.LocalStorage;
import live.cascade.api.storage.UploadQueue;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import live.cascade.db.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving rows to a store, through the seam with {@link LocalStorage} standing in for the bucket: the local copy goes
 * only after the store holds the files; a store that fails leaves everything local and the job queued; the backlog
 * bound holds rows back until there is room; retention deletes the objects with the row.
 */
class RecordingStorageTest {
    @TempDir
    Path dataDir;

    private static StorageConfig config(int backlog) {
        return new StorageConfig(StorageConfig.Kind.S3, Optional.empty(), Optional.empty(), "us-east-1", "bucket", "p/", true,
                Optional.empty(), Optional.empty(), false, Duration.ofMinutes(15), backlog);
    }

    private Recording row(Database db, long ch, String dir, byte[] media) throws Exception {
        Path d = dataDir.resolve("recordings").resolve(Long.toString(ch)).resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve("recording.webm"), media);
        Files.write(d.resolve("thumbnail.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, 7});
        return db.recordings().create(new NewRecording(ch, null, null, "R " + dir, Recording.READY, null, "webm", "vp8", "opus", 640, 360,
                5_000, media.length, "recordings/" + ch + "/" + dir + "/recording.webm", "recordings/" + ch + "/" + dir + "/thumbnail.jpg",
                null, Instant.now(), 1));
    }

    @Test
    void rowsMoveOneBacklogAtATimeAndTheLocalCopyGoesOnlyOnceStored() throws Exception {
        try (Database db = Database.open(DatabaseConfig.h2File(dataDir.resolve("db"), 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long ch = db.channels().create(owner, "chan", "The title", "Games", List.of(), "kh", "ke").id();
            Recording a = row(db, ch, "a", new byte[]{1, 2, 3, 4});
            Recording b = row(db, ch, "b", new byte[]{5, 6, 7});
            RecordingFiles files = new RecordingFiles(dataDir);
            Path bucket = dataDir.resolve("bucket");
            try (RecordingStorage storage = RecordingStorage.remote(new LocalStorage(bucket), config(1), db, files, dataDir, Clock.systemUTC())) {
                UploadQueue queue = storage.queue().orElseThrow();
                assertThat(storage.offerLocal()).as("a backlog of one takes one row").isEqualTo(1);
                assertThat(storage.offerLocal()).as("the other waits for room").isZero();
                assertThat(queue.runDue()).isTrue();
                Recording stored = db.recordings().findById(a.id()).orElseThrow();
                assertThat(stored.storageKey()).isEqualTo("p/recordings/" + ch + "/a/recording.webm");
                assertThat(stored.thumbnailKey()).isEqualTo("p/thumbnails/" + ch + "/a.jpg");
                assertThat(Files.readAllBytes(bucket.resolve(stored.storageKey()))).containsExactly(1, 2, 3, 4);
                assertThat(bucket.resolve(stored.thumbnailKey())).exists();
                assertThat(dataDir.resolve(a.mediaPath()).getParent()).as("local copy removed after the upload").doesNotExist();

                assertThat(storage.offerLocal()).as("room again: the second row").isEqualTo(1);
                assertThat(queue.runDue()).isTrue();
                assertThat(db.recordings().findById(b.id()).orElseThrow().stored()).isTrue();
                assertThat(storage.offerLocal()).as("nothing left").isZero();

                // Retention: the objects go with the row.
                RecordingCleaner cleaner = new RecordingCleaner(db, files, storage, Clock.offset(Clock.systemUTC(), Duration.ofDays(60)),
                        Duration.ofDays(30), Duration.ZERO, new RecordingEvents());
                assertThat(cleaner.runOnce()).isEqualTo(2);
                assertThat(bucket.resolve(stored.storageKey())).doesNotExist();
                assertThat(bucket.resolve(stored.thumbnailKey())).doesNotExist();
                assertThat(db.recordings().findById(a.id())).isEmpty();
            }
        }
    }

    @Test
    void aStoreThatFailsLeavesTheRecordingLocalAndTheJobQueued() throws Exception {
        try (Database db = Database.open(DatabaseConfig.h2File(dataDir.resolve("db"), 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long ch = db.channels().create(owner, "chan", "The title", "Games", List.of(), "kh", "ke").id();
            Recording a = row(db, ch, "a", new byte[]{9, 9});
            Path notADirectory = dataDir.resolve("bucket-is-a-file");
            Files.write(notADirectory, new byte[0]);
            RecordingFiles files = new RecordingFiles(dataDir);
            try (RecordingStorage storage = RecordingStorage.remote(new LocalStorage(notADirectory), config(10), db, files, dataDir, Clock.systemUTC())) {
                UploadQueue queue = storage.queue().orElseThrow();
                assertThat(storage.offerLocal()).isEqualTo(1);
                assertThat(queue.runDue()).isTrue();
                assertThat(queue.failures()).isEqualTo(1);
                assertThat(queue.queued(a.id())).as("kept for a retry").isTrue();
                assertThat(db.recordings().findById(a.id()).orElseThrow().stored()).isFalse();
                assertThat(dataDir.resolve(a.mediaPath())).as("nothing deleted locally").exists();
                assertThat(dataDir.resolve("uploads").resolve(a.id() + ".job")).as("the job survives a restart").exists();
            }
        }
    }
}
