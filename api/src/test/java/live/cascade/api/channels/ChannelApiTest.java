package live.cascade.api.channels;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelApiTest {
    static TestNode node;
    static Account admin;
    static Account owner;
    static Account other;

    @BeforeAll
    static void start() {
        node = new TestNode();
        admin = node.signup("chan_admin");
        owner = node.signup("chan_owner");
        other = node.signup("chan_other");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonNode create(Account who, String slug, String title, String category, List<String> tags) {
        Response r = node.post("/api/channels", who.token(), map("slug", slug, "title", title, "category", category, "tags", tags));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void createReturnsChannelWithStreamKeyAndReadsBackBySlugOrId() {
        JsonNode c = create(owner, "Speedruns", "Any% practice", "Gaming", List.of("Speedrun", "retro", "speedrun"));
        assertThat(c.at("/streamKey").asText()).startsWith("live_");
        assertThat(c.at("/slug").asText()).isEqualTo("Speedruns");
        assertThat(c.at("/ownerId").asLong()).isEqualTo(owner.id());
        assertThat(c.at("/live").asBoolean()).isFalse();
        assertThat(c.at("/viewerCount").asInt()).isZero();
        assertThat(c.at("/followerCount").asInt()).isZero();
        assertThat(c.at("/tags")).hasSize(2);
        assertThat(c.has("createdAt")).isTrue();

        JsonNode bySlug = node.get("/api/channels/speedruns", null).json();
        JsonNode byId = node.get("/api/channels/" + c.at("/id").asLong(), null).json();
        assertThat(bySlug.at("/id")).isEqualTo(byId.at("/id"));
        assertThat(bySlug.has("streamKey")).isFalse();
    }

    @Test
    void takenSlugIs409() {
        create(owner, "taken-slug", "One", "Music", List.of());
        Response r = node.post("/api/channels", other.token(), map("slug", "TAKEN-SLUG", "title", "Two", "category", "Music"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("slug");
    }

    @Test
    void editingSomeoneElsesChannelIs403ButOwnerAndAdminMayEdit() {
        create(owner, "editable", "Before", "Art", List.of());
        Response foreign = node.send("PATCH", "/api/channels/editable", other.token(), map("title", "Hijacked"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Content-Type")).startsWith("application/problem+json");
        assertThat(node.send("DELETE", "/api/channels/editable", other.token(), null).status()).isEqualTo(403);

        Response mine = node.send("PATCH", "/api/channels/editable", owner.token(), map("title", "After", "tags", List.of("painting")));
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().at("/title").asText()).isEqualTo("After");
        assertThat(mine.json().at("/category").asText()).isEqualTo("Art");
        Response byAdmin = node.send("PATCH", "/api/channels/editable", admin.token(), map("category", "Creative"));
        assertThat(byAdmin.json().at("/category").asText()).isEqualTo("Creative");
        assertThat(node.get("/api/channels/editable", null).json().at("/tags/0").asText()).isEqualTo("painting");
    }

    @Test
    void rotatingTheKeyInvalidatesTheOldOneAndOwnerReadsTheNewOne() {
        JsonNode c = create(owner, "rotating", "Keys", "Tech", List.of());
        String original = c.at("/streamKey").asText();
        Response read = node.get("/api/channels/rotating/stream-key", owner.token());
        assertThat(read.json().at("/streamKey").asText()).isEqualTo(original);
        assertThat(read.header("Cache-Control")).isEqualTo("no-store");

        Response rotated = node.post("/api/channels/rotating/stream-key/rotate", owner.token(), null);
        String fresh = rotated.json().at("/streamKey").asText();
        assertThat(fresh).isNotEqualTo(original).startsWith("live_");
        assertThat(node.get("/api/channels/rotating/stream-key", owner.token()).json().at("/streamKey").asText()).isEqualTo(fresh);
        // The WHIP lookup goes by hash: the old key finds nothing, the new one finds the channel.
        assertThat(node.server.database().channels().findByStreamKeyHash(live.cascade.api.auth.StreamKeyVault.hash(original))).isEmpty();
        assertThat(node.server.database().channels().findByStreamKeyHash(live.cascade.api.auth.StreamKeyVault.hash(fresh)))
                .get().extracting(ch -> ch.slug()).isEqualTo("rotating");
        // Nobody else, not even an admin, reads or rotates the key.
        assertThat(node.get("/api/channels/rotating/stream-key", other.token()).status()).isEqualTo(403);
        assertThat(node.get("/api/channels/rotating/stream-key", admin.token()).status()).isEqualTo(403);
        assertThat(node.post("/api/channels/rotating/stream-key/rotate", admin.token(), null).status()).isEqualTo(403);
    }

    @Test
    void listFiltersByOwnerCategoryAndSearchAndPagesWithCursor() {
        Account lister = node.signup("lister");
        for (int i = 0; i < 5; i++) create(lister, "list-" + i, "Cooking show " + i, i % 2 == 0 ? "Food" : "IRL", List.of(i == 3 ? "pasta" : "misc"));
        JsonNode byOwner = node.get("/api/channels?owner=" + lister.id() + "&limit=100", null).json();
        assertThat(byOwner.at("/items")).hasSize(5);
        assertThat(node.get("/api/channels?owner=lister&limit=100", null).json().at("/items")).hasSize(5);
        assertThat(node.get("/api/channels?owner=" + lister.id() + "&category=food", null).json().at("/items")).hasSize(3);
        JsonNode byTag = node.get("/api/channels?q=PASTA", null).json();
        assertThat(byTag.at("/items")).hasSize(1);
        assertThat(byTag.at("/items/0/slug").asText()).isEqualTo("list-3");
        assertThat(node.get("/api/channels?q=cooking%20show&owner=" + lister.id(), null).json().at("/items")).hasSize(5);
        assertThat(node.get("/api/channels?live=true&owner=" + lister.id(), null).json().at("/items")).isEmpty();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = node.get("/api/channels?owner=" + lister.id() + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            assertThat(page.at("/items").size()).isLessThanOrEqualTo(2);
            page.at("/items").forEach(ch -> seen.add(ch.at("/slug").asText()));
            cursor = page.at("/next").isNull() ? null : page.at("/next").asText();
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrder("list-0", "list-1", "list-2", "list-3", "list-4");
        assertThat(node.get("/api/channels?cursor=garbage", null).status()).isEqualTo(400);
    }

    @Test
    void followAndUnfollowCountFollowers() {
        create(owner, "followme", "Follow", "Music", List.of());
        Response f = node.post("/api/channels/followme/follow", other.token(), null);
        assertThat(f.json().at("/following").asBoolean()).isTrue();
        assertThat(f.json().at("/followerCount").asInt()).isEqualTo(1);
        node.post("/api/channels/followme/follow", other.token(), null); // idempotent
        assertThat(node.get("/api/channels/followme", null).json().at("/followerCount").asInt()).isEqualTo(1);
        assertThat(node.get("/api/channels?followed=true", other.token()).json().at("/items").findValuesAsText("slug")).contains("followme");
        Response u = node.send("DELETE", "/api/channels/followme/follow", other.token(), null);
        assertThat(u.json().at("/followerCount").asInt()).isZero();
    }

    @Test
    void suspendedChannelIsHiddenFromOthersButNotFromOwnerAndAdmin() {
        create(owner, "naughty", "Oops", "IRL", List.of());
        assertThat(node.post("/api/channels/naughty/suspend", other.token(), null).status()).isEqualTo(403);
        assertThat(node.post("/api/channels/naughty/suspend", admin.token(), null).status()).isEqualTo(200);
        assertThat(node.get("/api/channels/naughty", null).status()).isEqualTo(404);
        assertThat(node.get("/api/channels?q=oops", null).json().at("/items")).isEmpty();
        assertThat(node.get("/api/channels/naughty", owner.token()).json().at("/suspended").asBoolean()).isTrue();
        assertThat(node.post("/api/channels/naughty/restore", admin.token(), null).status()).isEqualTo(200);
        assertThat(node.get("/api/channels/naughty", null).status()).isEqualTo(200);
    }

    @Test
    void deleteRemovesTheChannel() {
        create(owner, "short-lived", "Bye", "IRL", List.of());
        assertThat(node.send("DELETE", "/api/channels/short-lived", owner.token(), null).status()).isEqualTo(204);
        assertThat(node.get("/api/channels/short-lived", null).status()).isEqualTo(404);
    }

    @Test
    void sessionsListIsEmptyForANewChannel() {
        create(owner, "quiet", "Nothing yet", "IRL", List.of());
        Response r = node.get("/api/channels/quiet/sessions", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/items")).isEmpty();
        assertThat(r.json().at("/next").isNull()).isTrue();
    }

    @Test
    void broadcastsShowAsLiveWithViewersAndInTheSessionHistory() {
        long id = create(owner, "onair", "On air", "IRL", List.of()).at("/id").asLong();
        var sessions = node.server.database().streamSessions();
        var first = sessions.start(id, java.time.Instant.parse("2026-01-01T10:00:00Z"));
        sessions.updateViewers(first.id(), 7);
        sessions.updateViewers(first.id(), 3);
        sessions.end(first.id(), java.time.Instant.parse("2026-01-01T11:00:00Z"));
        var second = sessions.start(id, java.time.Instant.parse("2026-01-02T10:00:00Z"));
        sessions.updateViewers(second.id(), 4);

        JsonNode c = node.get("/api/channels/onair", null).json();
        assertThat(c.at("/live").asBoolean()).isTrue();
        assertThat(c.at("/viewerCount").asInt()).isEqualTo(4);
        assertThat(node.get("/api/channels?live=true&q=on%20air", null).json().at("/items/0/slug").asText()).isEqualTo("onair");

        JsonNode page1 = node.get("/api/channels/onair/sessions?limit=1", null).json();
        assertThat(page1.at("/items/0/live").asBoolean()).isTrue();
        String next = page1.at("/next").asText();
        JsonNode page2 = node.get("/api/channels/onair/sessions?limit=1&before=" + next, null).json();
        assertThat(page2.at("/items/0/peakViewers").asInt()).isEqualTo(7);
        assertThat(page2.at("/items/0/endedAt").asText()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(page2.at("/next").isNull()).isTrue();
        assertThat(node.get("/api/channels/onair/sessions?before=yesterday", null).status()).isEqualTo(400);
    }

    @Test
    void invalidChannelFieldsAreNamed() {
        Response r = node.post("/api/channels", owner.token(), map("slug", "9lives", "title", "", "tags", List.of("ok", "not ok!")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors").findValuesAsText("field")).containsExactlyInAnyOrder("slug", "title", "category", "tags[1]");
        assertThat(node.post("/api/channels", null, map("slug", "anon", "title", "t", "category", "c")).status()).isEqualTo(401);
    }
}
