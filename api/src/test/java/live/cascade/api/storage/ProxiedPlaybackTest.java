package live.cascade.api.storage;

import live.cascade.api.TestNode;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --s3-proxy true}: a stored recording is streamed through the node (for a bucket viewers cannot reach), with
 * the Range passed on to the store and its 206/416 passed back; no redirect ever names the store.
 */
@Tag("integration")
class ProxiedPlaybackTest {
    static final S3rver S3 = S3rver.prepare();
    static TestNode node;
    static S3Storage bucket;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        S3.start();
        node = new TestNode(S3.nodeArgs("--s3-proxy", "true", "--s3-prefix", "px/"));
        bucket = new S3Storage(S3StorageTest.config(S3.endpoint()));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        if (bucket != null) bucket.close();
        S3.close();
    }

    @Test
    void aStoredRecordingIsStreamedThroughTheNodeWithRanges() throws Exception {
        TestNode.Account owner = node.signup("px_owner");
        long ch = node.post("/api/channels", owner.token(), map("slug", "pxchan", "title", "Proxied", "category", "Talk")).json().at("/id").asLong();
        byte[] media = new byte[50_000];
        new Random(3).nextBytes(media);
        Path f = Files.createTempFile("px", ".webm");
        Files.write(f, media);
        String key = "px/recordings/" + ch + "/r1/recording.webm";
        bucket.put(key, f, "video/webm");
        Files.delete(f);
        Recording r = node.server.database().recordings().create(new NewRecording(ch, null, null, "Proxied", Recording.READY, null, "webm",
                "vp8", "opus", 640, 360, 5_000, media.length, "recordings/" + ch + "/r1/recording.webm", null, null, Instant.now(), 1));
        assertThat(node.server.database().recordings().markStored(r.id(), key, null)).isTrue();
        node.post("/api/recordings/" + r.id() + "/publish", owner.token(), map());

        HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/recordings/" + r.id() + "/media"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(media);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/webm"));

        HttpResponse<byte[]> part = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/recordings/" + r.id() + "/media")))
                .header("Range", "bytes=49000-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 49000-49999/50000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(media, 49_000, 50_000));

        HttpResponse<String> past = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/recordings/" + r.id() + "/media")))
                .header("Range", "bytes=60000-").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        HttpResponse<String> noPoster = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/recordings/" + r.id() + "/thumbnail.jpg"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noPoster.statusCode()).isEqualTo(404);
    }
}
