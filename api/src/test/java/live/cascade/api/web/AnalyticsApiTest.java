package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.db.Database;
import live.cascade.db.StreamSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.stream.StreamSupport;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * GET /api/analytics/overview over HTTP: who sees which channels, and figures computed from recorded viewer
 * sessions (inserted here as the media plane and the HLS tap would) and chat posted through the API.
 */
class AnalyticsApiTest {
    static TestNode node;
    static TestNode.Account admin;
    static TestNode.Account alice;
    static TestNode.Account bob;
    static long aliceChannel;
    static long bobChannel;

    @BeforeAll
    static void start() {
        node = new TestNode();
        admin = node.signup("stats_admin"); // the first account on a node is its administrator
        alice = node.signup("stats_alice");
        bob = node.signup("stats_bob");
        aliceChannel = createChannel(alice, "alice-live");
        bobChannel = createChannel(bob, "bob-live");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    static long createChannel(TestNode.Account owner, String slug) {
        TestNode.Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", "Title of " + slug, "category", "Talk"));
        assertThat(r.status()).isEqualTo(201);
        return r.json().at("/id").asLong();
    }

    @Test
    void anonymousCallersAreAskedToLogIn() {
        TestNode.Response r = node.get("/api/analytics/overview", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/detail").asText()).contains("Log in");
    }

    @Test
    void ownersSeeTheirChannelsFiguresFromViewerSessionsFollowsAndChat() {
        Database db = node.server.database();
        Instant now = Instant.now();
        StreamSession live = db.streamSessions().start(aliceChannel, now.minusSeconds(3600));
        // Two finished sessions of 6 and 3 minutes, one WHEP viewer still watching for 1 minute, one from 2 days ago.
        db.viewerSessions().start(aliceChannel, live.id(), "a-whep-1", "whep", now.minusSeconds(1200));
        db.viewerSessions().end("a-whep-1", now.minusSeconds(840));
        db.viewerSessions().start(aliceChannel, live.id(), "a-hls-1", "hls", now.minusSeconds(600));
        db.viewerSessions().end("a-hls-1", now.minusSeconds(420));
        db.viewerSessions().start(aliceChannel, live.id(), "a-whep-open", "whep", now.minusSeconds(60));
        db.viewerSessions().start(aliceChannel, null, "a-old", "whep", now.minusSeconds(2 * 86400));
        db.viewerSessions().end("a-old", now.minusSeconds(2 * 86400 - 600));
        assertThat(node.post("/api/channels/alice-live/follow", bob.token(), null).status()).isEqualTo(200);
        assertThat(node.post("/api/channels/alice-live/chat", bob.token(), map("text", "first!")).status()).isEqualTo(201);
        assertThat(node.post("/api/channels/alice-live/chat", alice.token(), map("text", "welcome")).status()).isEqualTo(201);
        assertThat(node.post("/api/channels/bob-live/chat", alice.token(), map("text", "hi bob")).status()).isEqualTo(201);

        TestNode.Response r = node.get("/api/analytics/overview", alice.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode o = r.json();
        assertThat(o.at("/perChannel")).hasSize(1);
        JsonNode c = o.at("/perChannel/0");
        assertThat(c.at("/channelId").asLong()).isEqualTo(aliceChannel);
        assertThat(c.at("/title").asText()).isEqualTo("Title of alice-live");
        assertThat(c.at("/liveViewers").asInt()).isEqualTo(1);
        assertThat(c.at("/followers").asInt()).isEqualTo(1);
        assertThat(c.at("/chatMessages").asInt()).isEqualTo(2);
        // (6 + 3 + ~1) minutes over three sessions in the last 24 h; the old session is outside the window.
        assertThat(c.at("/avgWatchMinutes").asDouble()).isCloseTo(10.0 / 3, within(0.15));
        assertThat(o.at("/summary/liveViewers").asInt()).isEqualTo(1);
        assertThat(o.at("/summary/streamsLive").asInt()).isEqualTo(1);
        assertThat(o.at("/summary/watchTimeMinutes").asDouble()).isCloseTo(10.0, within(0.3));
        assertThat(o.at("/summary/chatMessages").asInt()).isEqualTo(2);

        // Administrators get every channel.
        JsonNode all = node.get("/api/analytics/overview", admin.token()).json();
        assertThat(StreamSupport.stream(all.at("/perChannel").spliterator(), false).map(n -> n.at("/channelId").asLong()))
                .contains(aliceChannel, bobChannel);
        assertThat(all.at("/summary/chatMessages").asInt()).isGreaterThanOrEqualTo(3);
        db.streamSessions().end(live.id(), Instant.now());
    }

    @Test
    void theStudiosIngestHealthIsTheOwnersAndSaysOfflineWhenNothingIsPublished() {
        TestNode.Response r = node.get("/api/analytics/channels/bob-live/ingest", bob.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/state").asText()).isEqualTo("offline");
        assertThat(r.json().at("/viewers").asInt()).isZero();
        assertThat(node.get("/api/analytics/channels/bob-live/ingest", alice.token()).status()).isEqualTo(403);
        assertThat(node.get("/api/analytics/channels/bob-live/ingest", null).status()).isEqualTo(401);
        assertThat(node.get("/api/analytics/channels/nobody-here/ingest", bob.token()).status()).isEqualTo(404);
    }
}
