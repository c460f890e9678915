package live.cascade.api;

import live.cascade.api.config.StorageConfig;
import live.cascade.api.storage.S3Storage;
import live.cascade.api.storage.S3rver;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code storage migrate --to s3} on a library a local-storage node left behind, against a real S3 server (s3rver):
 * a run with the store down moves nothing and deletes nothing; the next run moves every recording, clip and poster
 * (verified, then the local copies go); a row whose files are not on this node is reported, not touched; a further
 * run changes nothing.
 */
@Tag("integration")
class StorageMigrateCommandTest {
    static final S3rver S3 = S3rver.prepare();
    static Path dbDir;
    static Path dataDir;
    static String dbUrl;
    static final List<Recording> rows = new ArrayList<>();
    static final List<byte[]> media = new ArrayList<>();
    static long missingId;

    @BeforeAll
    static void aLocalLibrary() throws Exception {
        dbDir = Files.createTempDirectory("migrate-db");
        dbUrl = "jdbc:h2:file:" + dbDir.resolve("cascade");
        try (TestNode node = new TestNode("--db-url", dbUrl)) {
            dataDir = node.dataDir;
            TestNode.Account owner = node.signup("mig_owner");
            long channel = node.post("/api/channels", owner.token(), map("slug", "migchan", "title", "Migrated", "category", "Talk")).json().at("/id").asLong();
            Random random = new Random(24);
            for (int i = 0; i < 3; i++) {
                byte[] bytes = new byte[20_000 + i * 5_000];
                random.nextBytes(bytes);
                String dir = (i == 2 ? "clip-20261205T2200-0" : "2026120" + i + "T2000-ab") + i;
                String file = i == 2 ? "clip.webm" : "recording.webm";
                Path d = dataDir.resolve("recordings").resolve(Long.toString(channel)).resolve(dir);
                Files.createDirectories(d);
                Files.write(d.resolve(file), bytes);
                Files.write(d.resolve("thumbnail.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) i});
                rows.add(node.server.database().recordings().create(new NewRecording(channel, null, i == 2 ? rows.getFirst().id() : null,
                        "Old " + i, Recording.READY, null, "webm", "vp8", "opus", 640, 360, 10_000, bytes.length,
                        "recordings/" + channel + "/" + dir + "/" + file, "recordings/" + channel + "/" + dir + "/thumbnail.jpg",
                        i == 2 ? 1000L : null, Instant.now(), 1)));
                media.add(bytes);
            }
            missingId = node.server.database().recordings().create(new NewRecording(channel, null, null, "Elsewhere", Recording.READY, null,
                    "webm", "vp8", "opus", 640, 360, 10_000, 1, "recordings/" + channel + "/gone/recording.webm", null, null, Instant.now(), 1)).id();
        }
    }

    @AfterAll
    static void stop() {
        S3.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run migrate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("storage", "migrate", "--to", "s3", "--data-dir", dataDir.toString(), "--db-url", dbUrl));
        args.addAll(List.of(S3.nodeArgs("--s3-prefix", "lib/")));
        int exit = StorageCommand.run(args.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Recording row(long id) {
        try (Database db = Database.open(new DatabaseConfig(dbUrl, "sa", "", 2))) {
            return db.recordings().findById(id).orElseThrow();
        }
    }

    @Test
    void aLocalLibraryMovesToTheBucketOnceAndASecondRunChangesNothing() throws Exception {
        // ---- the store is down: the run fails, nothing is marked stored and nothing local is deleted
        Run down = migrate();
        assertThat(down.exit()).as(down.out() + down.err()).isEqualTo(1);
        assertThat(down.err()).contains("cannot be reached");
        for (Recording r : rows) {
            assertThat(row(r.id()).stored()).isFalse();
            assertThat(dataDir.resolve(r.mediaPath())).exists();
        }

        // ---- the store is up: everything on this node moves, verified, and the local copies go
        S3.start();
        Run first = migrate();
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("3 moved").contains("1 not on this node").contains("0 failed");
        try (S3Storage bucket = new S3Storage(new StorageConfig(StorageConfig.Kind.S3, Optional.of(URI.create(S3.endpoint())), Optional.empty(),
                "us-east-1", S3rver.BUCKET, "lib/", true, Optional.of(S3rver.KEY), Optional.of(S3rver.KEY), false, Duration.ofMinutes(5), 10))) {
            for (int i = 0; i < rows.size(); i++) {
                Recording r = row(rows.get(i).id());
                assertThat(r.stored()).isTrue();
                assertThat(r.storageKey()).startsWith(i == 2 ? "lib/clips/" : "lib/recordings/");
                assertThat(r.thumbnailKey()).startsWith("lib/thumbnails/");
                Path back = Files.createTempFile("mig", ".webm");
                bucket.download(r.storageKey(), back);
                assertThat(Files.readAllBytes(back)).isEqualTo(media.get(i));
                Files.delete(back);
                assertThat(bucket.head(r.thumbnailKey())).isPresent();
                assertThat(dataDir.resolve(r.mediaPath())).doesNotExist();
            }
            assertThat(row(missingId).stored()).as("not on this node: left as it is").isFalse();

            // ---- a second run finds nothing to move and changes nothing
            String keyBefore = row(rows.getFirst().id()).storageKey();
            Run second = migrate();
            assertThat(second.exit()).as(second.out() + second.err()).isZero();
            assertThat(second.out()).contains("0 moved").contains("0 failed");
            assertThat(row(rows.getFirst().id()).storageKey()).isEqualTo(keyBefore);
            assertThat(bucket.head(keyBefore).orElseThrow().size()).isEqualTo(media.getFirst().length);
        }
    }

    @Test
    void aBadCommandLineIsRefusedWithUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(StorageCommand.run(new String[]{"storage", "migrate"}, Map.of(), System.out, e)).isEqualTo(2);
        assertThat(StorageCommand.run(new String[]{"storage", "migrate", "--to", "local"}, Map.of(), System.out, e)).isEqualTo(2);
        assertThat(StorageCommand.run(new String[]{"storage", "migrate", "--to", "s3"}, Map.of(), System.out, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: java -jar cascade-live.jar storage migrate --to s3")
                .contains("only s3 is supported").contains("--s3-bucket is required");
    }
}
