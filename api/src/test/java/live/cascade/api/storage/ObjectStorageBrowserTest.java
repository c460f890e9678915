package live.cascade.api.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.http.Json;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;
import live.cascade.api.recordings.RecordingStorage;
import live.cascade.db.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node with {@code --storage s3} against a real S3 server (s3rver), a live WHIP broadcast from Chromium, and the
 * store taken away in the middle of it: the broadcast and its recording go on, the recording waits on local disk,
 * and once the store is back it lands in the bucket with the size and SHA-256 it had on disk, plays in the web app's
 * VOD player through a presigned URL (Range requests answered by the store), and its poster and a clip cut from it
 * land too; a take-down hides it but keeps the objects; deleting it removes them.
 */
@Tag("integration")
class ObjectStorageBrowserTest {
    static final S3rver S3 = S3rver.prepare();
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with(S3.nodeArgs("--publisher-grace", "1s", "--s3-prefix", "e2e/"));
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static S3Storage bucket;
    static TestNode.Account admin;

    @BeforeAll
    static void startStore() {
        admin = bed.node().signup("s3_admin"); // the node's first account: its administrator
        S3.start();
        bucket = new S3Storage(S3StorageTest.config(S3.endpoint()));
    }

    @AfterAll
    static void stopStore() {
        if (bucket != null) bucket.close();
        S3.close();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            Thread.sleep(200);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aRecordingMadeWhileTheStoreWasDownLandsInTheBucketIntactAndPlaysFromIt() throws Exception {
        TestNode node = bed.node();
        RecordingStorage storage = node.server.hls().storage();
        MediaNode.Channel ch = bed.media().createChannel("s3live");
        Publisher publisher = Publisher.open(bed.chromium());
        publisher.publish(ch.whipUrl(), ch.streamKey(), Publisher.Source.CAMERA);
        await("the publisher has sent 2 s of video", Duration.ofSeconds(30), () -> publisher.framesEncoded(publisher.stats()) > 60);

        // ---- the store goes away mid-broadcast: the broadcast and its recording carry on
        S3.stop();
        long framesAtOutage = publisher.framesEncoded(publisher.stats());
        await("the broadcast goes on for 2 s more without the store", Duration.ofSeconds(30),
                () -> publisher.framesEncoded(publisher.stats()) > framesAtOutage + 60);
        assertThat(node.get("/api/channels/" + ch.slug(), null).json().at("/live").asBoolean()).as("still live").isTrue();
        assertThat(publisher.stop()).isBetween(200, 299);

        // ---- the recording is written to local disk and waits in the upload queue
        long[] id = new long[1];
        await("the recording's row exists", Duration.ofSeconds(30), () -> {
            JsonNode items = node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json().at("/items");
            if (items.isEmpty()) return false;
            id[0] = items.get(0).at("/id").asLong();
            return true;
        });
        UploadQueue queue = storage.queue().orElseThrow();
        await("an upload attempt failed against the stopped store", Duration.ofSeconds(30),
                () -> queue.queued(id[0]) && queue.failures() > 0);
        Recording local = node.server.database().recordings().findById(id[0]).orElseThrow();
        assertThat(local.stored()).isFalse();
        Path file = node.dataDir.resolve(local.mediaPath());
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk.length).as("the recording has media").isGreaterThan(10_000);
        assertThat(local.parts()).isEqualTo(1);
        await("/readyz shows the store away and the upload waiting", Duration.ofSeconds(20), () -> {
            JsonNode s = node.get("/readyz", null).json().at("/storage");
            return "degraded".equals(s.at("/status").asText()) && s.at("/backlog").asInt() >= 1;
        });
        assertThat(node.get("/api/recordings/" + id[0] + "/media", ch.ownerToken()).status()).as("served from disk meanwhile").isEqualTo(200);

        // ---- the store is back: the upload completes, verified; the local copy goes only then
        S3.start();
        await("the recording is marked stored", Duration.ofSeconds(45),
                () -> node.server.database().recordings().findById(id[0]).orElseThrow().stored());
        Recording stored = node.server.database().recordings().findById(id[0]).orElseThrow();
        assertThat(stored.storageKey()).isEqualTo("e2e/recordings/" + ch.id() + "/" + file.getParent().getFileName() + "/" + file.getFileName());
        assertThat(Files.exists(file)).as("the local copy is removed once the upload is verified").isFalse();
        ObjectStore.StoredObject head = bucket.head(stored.storageKey()).orElseThrow();
        assertThat(head.size()).isEqualTo(onDisk.length);
        Path back = Files.createTempFile("s3-back", ".mp4");
        bucket.download(stored.storageKey(), back);
        assertThat(sha256(Files.readAllBytes(back))).as("the bucket holds exactly the recorded bytes").isEqualTo(sha256(onDisk));
        assertThat(head.sha256()).isEqualTo(sha256(onDisk));
        Files.delete(back);
        assertThat(stored.thumbnailKey()).as("the poster lands too").isEqualTo("e2e/thumbnails/" + ch.id() + "/" + file.getParent().getFileName() + ".jpg");
        assertThat(bucket.head(stored.thumbnailKey())).isPresent();
        assertThat(node.get("/metrics", null).body()).contains("cascade_storage_uploads_total").contains("cascade_storage_upload_backlog");

        // ---- playback: a redirect to a presigned URL; the store answers Range requests
        HttpResponse<Void> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/recordings/" + id[0] + "/media")))
                .header("Authorization", "Bearer " + ch.ownerToken()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI presigned = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(presigned.toString()).startsWith(S3.endpoint() + "/" + S3rver.BUCKET + "/" + stored.storageKey() + "?").contains("X-Amz-Signature=");
        HttpResponse<byte[]> range = HTTP.send(HttpRequest.newBuilder(presigned).header("Range", "bytes=100-1099").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(onDisk, 100, 1100));
        String playlist = node.get("/api/recordings/" + id[0] + "/playlist.m3u8", ch.ownerToken()).body();
        assertThat(playlist).startsWith("#EXTM3U").contains("media.mp4?token=").doesNotContain("__CASCADE");

        // ---- the web app's VOD player, unchanged, plays it from the bucket
        assertThat(node.post("/api/recordings/" + id[0] + "/publish", ch.ownerToken(), map()).status()).isEqualTo(200);
        Page watcher = bed.chromium().page(bed.base(), Chromium.Viewport.DESKTOP, null);
        watcher.navigate(bed.base() + "/c/" + ch.slug());
        watcher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play " + stored.title())).click();
        watcher.locator(".vod-player video").evaluate("v => { v.muted = true; return v.play(); }");
        await("the recording plays in the web app from its presigned URL", Duration.ofSeconds(30), () -> {
            JsonNode st = Json.MAPPER.valueToTree(watcher.evaluate("() => document.querySelector('.vod-player').cascadeVod.stats()"));
            return st.at("/currentTime").asDouble() > 1.0;
        });
        assertThat((String) watcher.locator(".vod-player video").evaluate("v => v.currentSrc")).contains("/api/recordings/" + id[0]);

        // ---- a clip cut from the stored recording lands in the bucket under clips/
        TestNode.Response cut = node.post("/api/recordings/" + id[0] + "/clips", ch.ownerToken(), map("start", 0, "end", 2, "title", "S3 clip"));
        assertThat(cut.status()).as(cut.body()).isEqualTo(201);
        long clipId = cut.json().at("/id").asLong();
        await("the clip is marked stored", Duration.ofSeconds(30), () -> node.server.database().recordings().findById(clipId).orElseThrow().stored());
        Recording clip = node.server.database().recordings().findById(clipId).orElseThrow();
        assertThat(clip.storageKey()).startsWith("e2e/clips/" + ch.id() + "/clip-");
        assertThat(bucket.head(clip.storageKey()).orElseThrow().size()).isEqualTo(clip.sizeBytes());
        assertThat(clip.thumbnailKey()).startsWith("e2e/thumbnails/" + ch.id() + "/clip-");
        HttpResponse<byte[]> poster = HTTP.send(HttpRequest.newBuilder(URI.create(HTTP.send(HttpRequest.newBuilder(
                        URI.create(node.url("/api/recordings/" + clipId + "/thumbnail.jpg"))).header("Authorization", "Bearer " + ch.ownerToken()).build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("Location").orElseThrow())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(poster.statusCode()).isEqualTo(200);
        assertThat(Arrays.copyOf(poster.body(), 2)).as("a JPEG").isEqualTo(new byte[]{(byte) 0xFF, (byte) 0xD8});

        // ---- a take-down hides the recording and keeps its objects; deleting it removes them
        assertThat(node.post("/api/recordings/" + id[0] + "/takedown", admin.token(), map("reason", "test")).status()).isEqualTo(200);
        assertThat(node.get("/api/recordings/" + id[0] + "/media", null).status()).as("hidden").isEqualTo(404);
        assertThat(bucket.head(stored.storageKey())).as("kept for an appeal").isPresent();
        assertThat(node.send("DELETE", "/api/recordings/" + id[0], admin.token(), null).status()).isEqualTo(204);
        assertThat(bucket.head(stored.storageKey())).as("media deleted with the row").isEmpty();
        assertThat(bucket.head(stored.thumbnailKey())).as("poster deleted with the row").isEmpty();
        assertThat(bucket.head(StorageKeys.playlist(stored.storageKey()))).as("playlist deleted with the row").isEmpty();
    }
}
