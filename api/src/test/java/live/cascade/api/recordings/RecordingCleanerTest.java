package live.cascade.api.recordings;

import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.Recording;
import live.cascade.db.RecordingRepository.Visibility;
import live.cascade.db.Role;
import live.cascade.db.StreamSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cleaner never deletes a recording for lacking a row: one whose row was never written (the database was away) is
 * re-attached from its pending-row file, once; one with no such file is kept. Only a row-less clip directory (its
 * request failed) is removed.
 */
class RecordingCleanerTest {
    @TempDir
    Path dataDir;

    @Test
    void aRecordingWhoseRowWasNeverWrittenIsReattachedOnceAndNothingOfARecordingIsDeleted() throws IOException {
        try (Database db = Database.open(DatabaseConfig.h2File(dataDir.resolve("db"), 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long ch = db.channels().create(owner, "chan", "The title", "Games", List.of(), "kh", "ke").id();
            Instant started = Instant.parse("2026-11-20T12:00:00Z");
            StreamSession broadcast = db.streamSessions().start(ch, started.plusSeconds(2));
            db.streamSessions().end(broadcast.id(), started.plusSeconds(600));
            RecordingFiles files = new RecordingFiles(dataDir);

            Path lost = files.root().resolve(ch + "/20261120T120000");
            Files.createDirectories(lost);
            Files.write(lost.resolve("recording.mp4"), new byte[4096]);
            PendingRecording pending = new PendingRecording(ch, "chan", Recording.READY, null, "mp4", "h264", "opus", 1280, 720,
                    600_000, 4096, files.relative(lost.resolve("recording.mp4")), null, started, started.plusSeconds(600), 1);
            pending.save(lost);
            Path unknown = files.root().resolve(ch + "/20261119T090000");
            Files.createDirectories(unknown);
            Files.write(unknown.resolve("recording.mp4"), new byte[100]);
            Path failedClip = files.root().resolve(ch + "/clip-20261119T100000-1a2b");
            Files.createDirectories(failedClip);
            Files.write(failedClip.resolve("clip.mp4"), new byte[100]);
            for (Path dir : List.of(lost, unknown, failedClip)) ageTwoDays(dir);

            RecordingCleaner cleaner = new RecordingCleaner(db, files, RecordingStorage.local(db, files), Clock.systemUTC(), Duration.ofDays(30), Duration.ZERO, new RecordingEvents());
            cleaner.runOnce();

            List<Recording> rows = db.recordings().listForChannel(ch, Visibility.ALL, true, 10, null);
            assertThat(rows).hasSize(1);
            Recording r = rows.getFirst();
            assertThat(r.mediaPath()).isEqualTo(pending.mediaPath());
            assertThat(r.title()).isEqualTo("The title");
            assertThat(r.streamSessionId()).as("the broadcast it belongs to").isEqualTo(broadcast.id());
            assertThat(r.durationMillis()).isEqualTo(600_000);
            assertThat(r.videoCodec()).isEqualTo("h264");
            assertThat(lost.resolve("recording.mp4")).exists();
            assertThat(lost.resolve(PendingRecording.FILE)).as("the pending file goes once the row exists").doesNotExist();
            assertThat(unknown.resolve("recording.mp4")).as("a recording with no row and nothing to make one from is kept").exists();
            assertThat(failedClip).as("a clip whose request failed is removed").doesNotExist();

            // A pending file left behind next to a written row (the node stopped between the two) adds no second row.
            pending.save(lost);
            cleaner.runOnce();
            assertThat(db.recordings().listForChannel(ch, Visibility.ALL, true, 10, null)).hasSize(1);
            assertThat(lost.resolve(PendingRecording.FILE)).doesNotExist();
        }
    }

    private static void ageTwoDays(Path dir) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) Files.setLastModifiedTime(f, old);
        }
        Files.setLastModifiedTime(dir, old);
    }
}
