package live.cascade.api.access;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Visibility on PATCH, the directory, and viewer tokens at WHEP and the live HLS master playlist. */
class PrivateChannelTest {
    static TestNode node;
    static Account owner;

    @BeforeAll
    static void start() {
        node = new TestNode();
        owner = node.signup("priv_owner");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static void channel(String slug, String visibility) {
        assertThat(node.post("/api/channels", owner.token(), map("slug", slug, "title", slug + " title", "category", "Secretive")).status()).isEqualTo(201);
        Response r = node.send("PATCH", "/api/channels/" + slug, owner.token(), map("visibility", visibility));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/visibility").asText()).isEqualTo(visibility);
    }

    static Response whep(String slug, String bearer) {
        return node.send("POST", "/api/whep/" + slug, bearer, "v=0\r\n", "Content-Type", "application/sdp");
    }

    static String mint(String slug, Object body) {
        Response r = node.post("/api/channels/" + slug + "/viewer-tokens", owner.token(), body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(Instant.parse(r.json().at("/expiresAt").asText())).isAfter(Instant.now().minusSeconds(1));
        return r.json().at("/token").asText();
    }

    @Test
    void visibilityIsOneOfThreeValues() {
        channel("priv_values", "unlisted");
        Response bad = node.send("PATCH", "/api/channels/priv_values", owner.token(), map("visibility", "secret"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("visibility");
        Account other = node.signup("priv_other");
        assertThat(node.send("PATCH", "/api/channels/priv_values", other.token(), map("visibility", "public")).status()).isEqualTo(403);
        assertThat(node.post("/api/channels/priv_values/viewer-tokens", other.token(), map()).status()).isEqualTo(403);
        Response tooLong = node.post("/api/channels/priv_values/viewer-tokens", owner.token(), map("expiresInSeconds", 99_999_999));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/errors/0/field").asText()).isEqualTo("expiresInSeconds");
    }

    @Test
    void unlistedAndPrivateChannelsStayOutOfTheDirectoryAndSearchButNotTheirOwnersListing() {
        channel("dir_public", "public");
        channel("dir_unlisted", "unlisted");
        channel("dir_private", "private");
        assertThat(slugs(node.get("/api/channels?q=dir_&limit=50", null))).contains("dir_public").doesNotContain("dir_unlisted", "dir_private");
        assertThat(slugs(node.get("/api/channels?category=Secretive&limit=50", null))).doesNotContain("dir_unlisted", "dir_private");
        assertThat(slugs(node.get("/api/channels?owner=" + owner.id() + "&limit=50", owner.token()))).contains("dir_unlisted", "dir_private");
        assertThat(slugs(node.get("/api/channels?owner=" + owner.id() + "&limit=50", null))).doesNotContain("dir_unlisted", "dir_private");
        assertThat(node.get("/api/channels/dir_unlisted", null).status()).as("an unlisted channel opens by its link").isEqualTo(200);
    }

    static java.util.List<String> slugs(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        java.util.List<String> out = new java.util.ArrayList<>();
        r.json().at("/items").forEach(n -> out.add(n.at("/slug").asText()));
        return out;
    }

    @Test
    void privatePlaybackAtWhepNeedsAViewerTokenThatHasNotExpired() throws Exception {
        channel("priv_whep", "private");
        Response refused = whep("priv_whep", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).contains("is private").contains("Authorization: Bearer");
        assertThat(whep("priv_whep", "cvt_made_up").status()).isEqualTo(403);

        String token = mint("priv_whep", map());
        assertThat(whep("priv_whep", token).status()).as("past the gate: the (empty) offer is what is refused now").isNotEqualTo(403);
        assertThat(whep("priv_whep", token).status()).as("reusable unless single-use").isNotEqualTo(403);

        String once = mint("priv_whep", map("singleUse", true));
        assertThat(whep("priv_whep", once).status()).isNotEqualTo(403);
        assertThat(whep("priv_whep", once).status()).as("used up").isEqualTo(403);

        channel("priv_other_ch", "private");
        assertThat(whep("priv_other_ch", token).status()).as("a token opens its own channel only").isEqualTo(403);

        String shortLived = mint("priv_whep", map("expiresInSeconds", 2));
        assertThat(whep("priv_whep", shortLived).status()).isNotEqualTo(403);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            Thread.sleep(100);
            status = whep("priv_whep", shortLived).status();
        } while (status != 403 && System.nanoTime() < deadline);
        assertThat(status).as("refused after expiry").isEqualTo(403);
    }

    @Test
    void unlistedPlaybackNeedsNoToken() {
        channel("unl_whep", "unlisted");
        assertThat(whep("unl_whep", null).status()).isNotEqualTo(403);
    }

    @Test
    void thePrivateHlsMasterPlaylistNeedsAViewerToken() {
        channel("priv_hls", "private");
        Response refused = node.get("/hls/priv_hls/master.m3u8", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).contains("is private").contains("?token=");
        String token = mint("priv_hls", map());
        // Past the gate, this node (ladder off in tests) says it has no live HLS: the token was accepted.
        Response allowed = node.get("/hls/priv_hls/master.m3u8?token=" + token, null);
        assertThat(allowed.status()).isEqualTo(404);
        assertThat(allowed.json().at("/detail").asText()).contains("serves no live HLS");
        channel("pub_hls", "public");
        assertThat(node.get("/hls/pub_hls/master.m3u8", null).status()).isEqualTo(404);
    }

    @Test
    void aPrivateChannelsRecordingsPlayWithAViewerTokenOnly() throws Exception {
        channel("priv_vod", "private");
        long channelId = node.get("/api/channels/priv_vod", owner.token()).json().at("/id").asLong();
        java.nio.file.Path dir = node.dataDir.resolve("recordings").resolve(Long.toString(channelId)).resolve("rec-test");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("recording.mp4"), new byte[]{0, 0, 0, 8, 'f', 't', 'y', 'p'});
        var db = node.server.database();
        long id = db.recordings().create(new live.cascade.db.NewRecording(channelId, null, null, "private talk",
                live.cascade.db.Recording.READY, null, "mp4", "h264", "opus", 640, 360, 1000, 8,
                "recordings/" + channelId + "/rec-test/recording.mp4", null, null, Instant.now(), 1)).id();
        db.recordings().publish(id, Instant.now());

        Response refused = node.get("/api/recordings/" + id + "/media", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).contains("is private");
        assertThat(node.get("/api/recordings/" + id + "/playlist.m3u8", null).status()).isEqualTo(403);
        assertThat(node.get("/api/recordings/" + id + "/media", owner.token()).status()).as("the owner plays it").isEqualTo(200);

        String token = mint("priv_vod", map());
        assertThat(node.get("/api/recordings/" + id + "/media?token=" + token, null).status()).isEqualTo(200);
        String shortLived = mint("priv_vod", map("expiresInSeconds", 2));
        assertThat(node.get("/api/recordings/" + id + "/media?token=" + shortLived, null).status()).isEqualTo(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            Thread.sleep(100);
            status = node.get("/api/recordings/" + id + "/media?token=" + shortLived, null).status();
        } while (status != 403 && System.nanoTime() < deadline);
        assertThat(status).as("refused after expiry").isEqualTo(403);
    }

    @Test
    void aPrivateChannelsJsonHistoryAndChatNeedAccess() throws Exception {
        channel("priv_json", "private");
        Account stranger = node.signup("priv_stranger");
        Account mod = node.signup("priv_mod");
        assertThat(node.send("PUT", "/api/channels/priv_json/moderators/" + mod.id(), owner.token(), null).status()).isIn(200, 201, 204);

        for (String path : new String[]{"/api/channels/priv_json", "/api/channels/priv_json/chat", "/api/channels/priv_json/sessions",
                "/api/recordings?channel=priv_json"}) {
            Response anonymous = node.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(403);
            assertThat(anonymous.json().at("/type").asText()).isEqualTo("urn:cascade:private-channel");
            assertThat(anonymous.json().at("/detail").asText()).contains("is private").contains("X-Viewer-Token");
            assertThat(node.get(path, stranger.token()).status()).as(path + " for a signed-in stranger").isEqualTo(403);
            assertThat(node.get(path, owner.token()).status()).as(path + " for the owner").isEqualTo(200);
            assertThat(node.get(path, mod.token()).status()).as(path + " for a moderator").isEqualTo(200);
        }
        assertThat(node.post("/api/channels/priv_json/chat", stranger.token(), map("text", "hello?")).status()).isEqualTo(403);
        assertThat(node.post("/api/channels/priv_json/follow", stranger.token(), null).status()).isEqualTo(403);

        String once = mint("priv_json", map("singleUse", true));
        assertThat(whep("priv_json", once).status()).as("the single-use token spent on playback").isNotEqualTo(403);
        assertThat(node.get("/api/channels/priv_json?token=" + once, null).status()).as("still opens the JSON").isEqualTo(200);
        assertThat(node.send("GET", "/api/channels/priv_json/chat", null, null, "X-Viewer-Token", once).status()).isEqualTo(200);
        assertThat(node.post("/api/channels/priv_json/chat?token=" + once, stranger.token(), map("text", "let me in")).status())
                .as("a token holder who is signed in chats").isEqualTo(201);
        channel("priv_json2", "private");
        assertThat(node.get("/api/channels/priv_json2?token=" + once, null).status()).as("another channel's token").isEqualTo(403);

        assertThat(chatUpgrade("/api/channels/priv_json/chat/ws")).as("the chat socket without a token").isEqualTo(403);
        assertThat(chatUpgrade("/api/channels/priv_json/chat/ws?token=" + once)).as("with one").isEqualTo(101);
        channel("pub_json", "public");
        assertThat(node.get("/api/channels/pub_json", null).status()).isEqualTo(200);
        assertThat(chatUpgrade("/api/channels/pub_json/chat/ws")).isEqualTo(101);
    }

    /** The status of a chat WebSocket upgrade: 101 when it opened, else the refusal's status. */
    static int chatUpgrade(String path) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        try {
            var ws = client.newWebSocketBuilder().buildAsync(java.net.URI.create(node.url(path).replace("http:", "ws:")),
                    new java.net.http.WebSocket.Listener() { }).get(15, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(15, java.util.concurrent.TimeUnit.SECONDS);
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        } finally {
            client.close();
        }
    }
}
