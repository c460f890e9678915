package live.cascade.api.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveThumbnailUploadsTest {
    @TempDir
    Path dir;

    @Test
    void aLiveStillIsUploadedWhenItChangesAndOnlyThen() throws Exception {
        Path bucket = dir.resolve("bucket");
        Path still = dir.resolve("thumbnail.jpg");
        Files.write(still, new byte[]{(byte) 0xFF, (byte) 0xD8, 1});
        Files.setLastModifiedTime(still, FileTime.from(Instant.parse("2026-12-05T20:00:00Z")));
        List<LiveThumbnailUploads.Still> live = new ArrayList<>(List.of(new LiveThumbnailUploads.Still("chan", still),
                new LiveThumbnailUploads.Still("nostill", dir.resolve("missing.jpg"))));
        LiveThumbnailUploads uploads = new LiveThumbnailUploads(new LocalStorage(bucket), new StorageKeys("p/"), () -> live);

        assertThat(uploads.runOnce()).isEqualTo(1);
        Path object = bucket.resolve("p/thumbnails/live/chan.jpg");
        assertThat(Files.readAllBytes(object)).containsExactly(0xFF, 0xD8, 1);
        assertThat(uploads.runOnce()).as("unchanged: not sent again").isZero();

        Files.write(still, new byte[]{(byte) 0xFF, (byte) 0xD8, 2});
        Files.setLastModifiedTime(still, FileTime.from(Instant.parse("2026-12-05T20:00:10Z")));
        assertThat(uploads.runOnce()).as("refreshed").isEqualTo(1);
        assertThat(Files.readAllBytes(object)).containsExactly(0xFF, 0xD8, 2);
    }

    @Test
    void aFailingStoreIsRetriedOnTheNextPass() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.write(notADirectory, new byte[0]);
        Path still = dir.resolve("thumbnail.jpg");
        Files.write(still, new byte[]{1});
        List<LiveThumbnailUploads.Still> live = List.of(new LiveThumbnailUploads.Still("chan", still));
        LiveThumbnailUploads failing = new LiveThumbnailUploads(new LocalStorage(notADirectory), new StorageKeys(""), () -> live);
        assertThat(failing.runOnce()).isZero();
        assertThat(failing.runOnce()).as("tried again, not marked done").isZero();
        LiveThumbnailUploads working = new LiveThumbnailUploads(new LocalStorage(dir.resolve("b")), new StorageKeys(""), () -> live);
        assertThat(working.runOnce()).as("the same still once a store takes it").isEqualTo(1);
    }
}
