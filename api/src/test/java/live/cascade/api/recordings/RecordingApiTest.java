package live.cascade.api.recordings;

import live.cascade.api.TestNode;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recordings API without a broadcast: rows and files are put in place directly, then the API is exercised for who
 * sees what, publishing, takedown, deletion, clip requests and byte-range playback; a second node shows the cleaner
 * deleting an expired draft.
 */
class RecordingApiTest {
    static TestNode node;
    static TestNode.Account admin;
    static TestNode.Account owner;
    static TestNode.Account other;
    static long channelId;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        node = new TestNode();
        admin = node.signup("rec_admin"); // the first account is the admin
        owner = node.signup("rec_owner");
        other = node.signup("rec_other");
        TestNode.Response c = node.post("/api/channels", owner.token(), map("slug", "recchan", "title", "Recorded", "category", "Talk"));
        channelId = c.json().at("/id").asLong();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    /** A recording row and its files (random bytes: enough for access rules and byte ranges). */
    static Recording recording(TestNode n, long channel, String dir, byte[] media) throws IOException {
        Path d = n.dataDir.resolve("recordings").resolve(Long.toString(channel)).resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve("recording.mp4"), media);
        Files.write(d.resolve("thumbnail.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2});
        return n.server.database().recordings().create(new NewRecording(channel, null, null, "Broadcast " + dir, Recording.READY, null,
                "mp4", "h264", "opus", 1280, 720, 60_000, media.length, "recordings/" + channel + "/" + dir + "/recording.mp4",
                "recordings/" + channel + "/" + dir + "/thumbnail.jpg", null, Instant.now(), 1));
    }

    static HttpResponse<byte[]> get(TestNode n, String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.url(path)));
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aRecordingInPartsListsThemAndServesEachPart() throws Exception {
        byte[] first = new byte[5_000];
        byte[] second = new byte[7_000];
        new Random(5).nextBytes(first);
        new Random(6).nextBytes(second);
        long ch = node.post("/api/channels", owner.token(), map("slug", "partschan", "title", "P", "category", "Talk")).json().at("/id").asLong();
        Recording one = recording(node, ch, "parts-1", first);
        Path d = node.dataDir.resolve("recordings").resolve(Long.toString(ch)).resolve("parts-1");
        Files.write(d.resolve("recording-2.mp4"), second);
        Recording r = node.server.database().recordings().create(new NewRecording(ch, null, null, one.title(), Recording.READY, null,
                "mp4", "h264", "opus", 1280, 720, 120_000, first.length + second.length, one.mediaPath(), one.thumbnailPath(), null,
                Instant.now(), 2));
        String base = "/api/recordings/" + r.id();

        TestNode.Response json = node.get(base, owner.token());
        assertThat(json.json().at("/parts").asInt()).isEqualTo(2);
        assertThat(json.json().at("/partUrls/0").asText()).isEqualTo(base + "/media");
        assertThat(json.json().at("/partUrls/1").asText()).isEqualTo(base + "/media?part=2");
        assertThat(node.get("/api/recordings/" + one.id(), owner.token()).json().has("parts")).as("one part: not listed").isFalse();

        assertThat(get(node, base + "/media", owner.token()).body()).isEqualTo(first);
        assertThat(get(node, base + "/media?part=2", owner.token()).body()).isEqualTo(second);
        HttpResponse<byte[]> range = get(node, base + "/media?part=2", owner.token(), "Range", "bytes=100-199");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(second, 100, 200));
        TestNode.Response beyond = node.get(base + "/media?part=3", owner.token());
        assertThat(beyond.status()).isEqualTo(404);
        assertThat(beyond.json().at("/detail").asText()).contains("has 2 parts").contains("1 to 2");
        assertThat(node.get(base + "/media?part=two", owner.token()).status()).isEqualTo(400);
    }

    @Test
    void draftsArePrivateUntilPublishedAndAdminsCanTakeThemDown() throws Exception {
        byte[] media = new byte[100_000];
        new Random(3).nextBytes(media);
        long ch = node.post("/api/channels", owner.token(), map("slug", "draftchan", "title", "D", "category", "Talk")).json().at("/id").asLong();
        Recording r = recording(node, ch, "draft-1", media);
        String base = "/api/recordings/" + r.id();

        assertThat(node.get("/api/recordings?channel=draftchan", null).json().at("/items")).isEmpty();
        assertThat(node.get("/api/recordings?channel=draftchan", other.token()).json().at("/items")).isEmpty();
        assertThat(node.get("/api/recordings?channel=draftchan", owner.token()).json().at("/items")).hasSize(1);
        assertThat(node.get(base, null).status()).isEqualTo(404);
        TestNode.Response mine = node.get(base, owner.token());
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().at("/published").asBoolean()).isFalse();
        assertThat(mine.json().at("/duration").asDouble()).isEqualTo(60.0);
        assertThat(mine.json().at("/expiresAt").asText()).as("drafts expire (default 30 days)").isNotEmpty();
        assertThat(mine.json().at("/playlistUrl").asText()).isEqualTo(base + "/playlist.m3u8");
        assertThat(get(node, base + "/media", null).statusCode()).isEqualTo(404);

        // Byte ranges, for <video> seeking and HLS byte-range segments.
        HttpResponse<byte[]> range = get(node, base + "/media", owner.token(), "Range", "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(media, 1000, 2000));
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 1000-1999/100000");
        HttpResponse<byte[]> whole = get(node, base + "/media", owner.token());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type").orElse("")).startsWith("video/mp4");

        assertThat(node.post(base + "/publish", other.token(), "{}").status()).isEqualTo(404);
        TestNode.Response published = node.post(base + "/publish", owner.token(), "{}");
        assertThat(published.status()).isEqualTo(200);
        assertThat(published.json().at("/published").asBoolean()).isTrue();
        assertThat(published.json().has("expiresAt")).as("published recordings are kept (retention 0)").isFalse();
        assertThat(node.get("/api/recordings?channel=draftchan", null).json().at("/items")).hasSize(1);
        assertThat(get(node, base + "/media", null, "Range", "bytes=0-9").statusCode()).isEqualTo(206);
        assertThat(get(node, base + "/thumbnail.jpg", null).statusCode()).isEqualTo(200);
        assertThat(node.send("DELETE", base, other.token(), null).status()).isEqualTo(403);
        assertThat(node.post(base + "/takedown", owner.token(), map("reason", "mine")).status()).isEqualTo(403);

        TestNode.Response down = node.post(base + "/takedown", admin.token(), map("reason", "copyright claim"));
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.json().at("/takenDown").asBoolean()).isTrue();
        assertThat(node.get(base, null).status()).isEqualTo(404);
        assertThat(node.get("/api/recordings?channel=draftchan", null).json().at("/items")).isEmpty();
        TestNode.Response ownerView = node.get(base, owner.token());
        assertThat(ownerView.status()).isEqualTo(200);
        assertThat(ownerView.json().at("/takedownReason").asText()).isEqualTo("copyright claim");
        assertThat(get(node, base + "/media", owner.token()).statusCode()).isEqualTo(403);
        assertThat(get(node, base + "/media", admin.token()).statusCode()).isEqualTo(200);
        assertThat(node.post(base + "/restore", admin.token(), "{}").json().has("takenDown")).isFalse();

        assertThat(node.send("DELETE", base, owner.token(), null).status()).isEqualTo(204);
        assertThat(node.get(base, owner.token()).status()).isEqualTo(404);
        assertThat(node.dataDir.resolve("recordings/" + ch + "/draft-1")).doesNotExist();
    }

    @Test
    void anOwnerCannotUndoATakedownByDeletingTheRecordingOrItsChannel() throws Exception {
        long ch = node.post("/api/channels", owner.token(), map("slug", "takenchan", "title", "T", "category", "Talk")).json().at("/id").asLong();
        Recording r = recording(node, ch, "taken-1", new byte[1000]);
        String base = "/api/recordings/" + r.id();
        assertThat(node.post(base + "/publish", owner.token(), "{}").status()).isEqualTo(200);
        assertThat(node.post(base + "/takedown", admin.token(), map("reason", "copyright claim")).status()).isEqualTo(200);

        TestNode.Response delete = node.send("DELETE", base, owner.token(), null);
        assertThat(delete.status()).as(delete.body()).isEqualTo(403);
        assertThat(delete.header("Content-Type")).startsWith("application/problem+json");
        assertThat(delete.json().at("/detail").asText()).contains("taken down").contains("administrators");
        assertThat(node.post(base + "/publish", owner.token(), "{}").status()).as("nor republish it").isEqualTo(409);
        TestNode.Response channelDelete = node.send("DELETE", "/api/channels/takenchan", owner.token(), null);
        assertThat(channelDelete.status()).as(channelDelete.body()).isEqualTo(403);
        assertThat(channelDelete.json().at("/detail").asText()).contains("administrator");

        assertThat(node.get(base, admin.token()).json().at("/takenDown").asBoolean()).as("still there for the admins").isTrue();
        assertThat(node.dataDir.resolve("recordings/" + ch + "/taken-1/recording.mp4")).exists();
        assertThat(get(node, base + "/media", admin.token()).statusCode()).isEqualTo(200);

        assertThat(node.send("DELETE", base, admin.token(), null).status()).as("an admin may delete it").isEqualTo(204);
        assertThat(node.dataDir.resolve("recordings/" + ch + "/taken-1")).doesNotExist();
        assertThat(node.send("DELETE", "/api/channels/takenchan", owner.token(), null).status())
                .as("with the takedown gone, the owner may delete the channel").isEqualTo(204);
    }

    @Test
    void rangePositionsTooLongForALongAre416OrTheWholeFileNever500() throws Exception {
        byte[] media = new byte[10_000];
        new Random(5).nextBytes(media);
        Recording r = recording(node, channelId, "huge-range", media);
        String path = "/api/recordings/" + r.id() + "/media";
        String twenty = "99999999999999999999";

        HttpResponse<byte[]> past = get(node, path, owner.token(), "Range", "bytes=" + twenty + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */10000");

        HttpResponse<byte[]> toTheEnd = get(node, path, owner.token(), "Range", "bytes=9000-" + twenty);
        assertThat(toTheEnd.statusCode()).isEqualTo(206);
        assertThat(toTheEnd.headers().firstValue("Content-Range")).hasValue("bytes 9000-9999/10000");
        assertThat(toTheEnd.body()).isEqualTo(Arrays.copyOfRange(media, 9000, 10_000));

        HttpResponse<byte[]> suffix = get(node, path, owner.token(), "Range", "bytes=-" + twenty);
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(media);
    }

    @Test
    void clipRequestsAreValidated() throws Exception {
        Recording r = recording(node, channelId, "clips-1", new byte[1000]);
        String clips = "/api/recordings/" + r.id() + "/clips";
        TestNode.Response missing = node.post(clips, owner.token(), Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/errors").toString()).contains("start").contains("end");
        assertThat(node.post(clips, owner.token(), Map.of("start", 10, "end", 5)).json().at("/errors/0/field").asText()).isEqualTo("end");
        assertThat(node.post(clips, owner.token(), Map.of("start", 10, "end", 61)).status()).isEqualTo(400);
        assertThat(node.post(clips, owner.token(), Map.of("start", -1, "end", 5)).status()).isEqualTo(400);
        assertThat(node.post(clips, other.token(), Map.of("start", 1, "end", 5)).status()).isEqualTo(404);
        assertThat(node.post(clips, null, Map.of("start", 1, "end", 5)).status()).isEqualTo(401);
        // Not a real MP4: cutting fails cleanly with a problem document.
        TestNode.Response broken = node.post(clips, owner.token(), Map.of("start", 1, "end", 5));
        assertThat(broken.status()).isEqualTo(500);
        assertThat(broken.header("Content-Type")).startsWith("application/problem+json");
        assertThat(node.get(clips, owner.token()).json().at("/items")).isEmpty();
    }

    @Test
    void listingNeedsAChannelAndPagesNewestFirst() throws Exception {
        assertThat(node.get("/api/recordings", null).status()).isEqualTo(400);
        assertThat(node.get("/api/recordings?channel=nope", null).status()).isEqualTo(404);
        TestNode.Response c = node.post("/api/channels", owner.token(), map("slug", "pagechan", "title", "P", "category", "Talk"));
        long ch = c.json().at("/id").asLong();
        Recording a = recording(node, ch, "p1", new byte[10]);
        Recording b = recording(node, ch, "p2", new byte[10]);
        Recording d = recording(node, ch, "p3", new byte[10]);
        TestNode.Response page1 = node.get("/api/recordings?channel=pagechan&limit=2", owner.token());
        assertThat(page1.json().at("/items/0/id").asLong()).isEqualTo(d.id());
        assertThat(page1.json().at("/items/1/id").asLong()).isEqualTo(b.id());
        TestNode.Response page2 = node.get("/api/recordings?channel=pagechan&limit=2&cursor=" + page1.json().at("/next").asText(), owner.token());
        assertThat(page2.json().at("/items/0/id").asLong()).isEqualTo(a.id());
        assertThat(page2.json().at("/next").isNull()).isTrue();
    }

    @Test
    void theCleanerDeletesAnExpiredDraftAndKeepsPublishedOnes() throws Exception {
        try (TestNode n = new TestNode("--recording-retention-unpublished", "2s", "--recording-retention-published", "0")) {
            TestNode.Account o = n.signup("cleaner_owner");
            long ch = n.post("/api/channels", o.token(), map("slug", "cleanchan", "title", "C", "category", "Talk")).json().at("/id").asLong();
            Recording draft = recording(n, ch, "old-draft", new byte[10]);
            Recording kept = recording(n, ch, "published", new byte[10]);
            n.server.database().recordings().publish(kept.id(), Instant.now());
            Recording takenDown = recording(n, ch, "taken-down-draft", new byte[10]);
            n.server.database().recordings().takeDown(takenDown.id(), o.id(), "kept for the admins", Instant.now());
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (n.server.database().recordings().findById(draft.id()).isPresent() && System.nanoTime() < deadline) Thread.sleep(200);
            assertThat(n.server.database().recordings().findById(draft.id())).as("expired draft deleted").isEmpty();
            assertThat(n.dataDir.resolve("recordings/" + ch + "/old-draft")).doesNotExist();
            assertThat(n.server.database().recordings().findById(kept.id())).isPresent();
            assertThat(n.dataDir.resolve("recordings/" + ch + "/published/recording.mp4")).exists();
            assertThat(n.server.database().recordings().findById(takenDown.id())).as("a taken-down draft does not expire").isPresent();
            assertThat(n.dataDir.resolve("recordings/" + ch + "/taken-down-draft/recording.mp4")).exists();
        }
    }
}
