package live.cascade.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.ApiClient;
import live.cascade.api.NodeProcess;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes sharing the real PostgreSQL (a schema of their own, dropped afterwards) and the shared Redis
 * (a namespace of their own), with WebSocket clients on each.
 */
@Tag("integration")
class TwoNodeChatTest {
    static final String SECRET = "two-node-chat-test-secret-0123456789";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    static SharedServices.PgSchema schema;
    static NodeProcess a;
    static NodeProcess b;
    static Account admin;

    @BeforeAll
    static void start() {
        SharedServices.requireRedis();
        schema = SharedServices.PgSchema.create();
        String ns = "test-" + UUID.randomUUID();
        String[] args = {"--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER, "--db-password", SharedServices.PG_PASSWORD,
                "--redis-url", SharedServices.REDIS_URL, "--redis-namespace", ns, "--secret", SECRET};
        List<NodeProcess> nodes = NodeProcess.startTogether(2, args);
        a = nodes.get(0);
        b = nodes.get(1);
        awaitRedisUp(a);
        awaitRedisUp(b);
        admin = a.http.signup("twonodeadmin"); // the first account in the fresh schema is the administrator
    }

    @AfterAll
    static void stop() {
        NodeProcess.closeTogether(java.util.Arrays.asList(a, b));
        if (schema != null) schema.close();
    }

    static void awaitRedisUp(NodeProcess n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (n.http.get("/readyz", null).json().at("/status").asText().equals("ok")) return;
            sleep(100);
        }
        throw new AssertionError("node never reported ok: " + n.http.get("/readyz", null).body() + "\n" + n.output());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    record Room(Account owner, String slug) {
    }

    static Room room() {
        int n = SEQ.incrementAndGet();
        Account owner = a.http.signup("owner" + n);
        String slug = "multi" + n;
        a.http.createChannel(owner, slug);
        return new Room(owner, slug);
    }

    static Account user(String prefix) {
        return b.http.signup(prefix + SEQ.incrementAndGet());
    }

    static ChatClient socket(NodeProcess n, Room room, Account who) {
        ChatClient c = ChatClient.connect(n.wsUrl("/api/channels/" + room.slug() + "/chat/ws"), who == null ? null : who.token());
        c.next("hello");
        return c;
    }

    static JsonNode message(ChatClient c, String text) {
        return c.find(f -> f.path("type").asText().equals("message") && f.path("text").asText().equals(text), WAIT);
    }

    @Test
    void aMessagePostedOnOneNodeArrivesOnTheOtherWithinMilliseconds() {
        Room room = room();
        Account alice = user("alice");
        Account bob = user("bob");
        try (ChatClient onA = socket(a, room, alice); ChatClient onB = socket(b, room, bob); ChatClient anonB = socket(b, room, null)) {
            long t0 = System.nanoTime();
            onA.sendJson(map("type", "message", "text", "from A", "ref", "1"));
            JsonNode got = message(onB, "from A");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(got.at("/user/username").asText()).isEqualTo(alice.username());
            assertThat(message(anonB, "from A").at("/id").asLong()).isEqualTo(got.at("/id").asLong());
            assertThat(ms).as("ms from send on A to receipt on B").isLessThan(1000);
            message(onA, "from A");

            Response viaRest = b.http.post("/api/channels/" + room.slug() + "/chat", bob.token(), map("text", "from B"));
            assertThat(viaRest.status()).isEqualTo(201);
            assertThat(message(onA, "from B").at("/id").asLong()).isEqualTo(viaRest.json().at("/id").asLong());
            message(onB, "from B");
            // Exactly once: our own node's copy is not echoed back through Redis.
            onB.assertNone("message", Duration.ofMillis(500));
            assertThat(onB.seen().stream().filter(f -> f.path("text").asText().equals("from B")).count()).isEqualTo(1);
        }
        // Both nodes read the same history.
        List<String> onA = a.http.get("/api/channels/" + room.slug() + "/chat", null).json().at("/items").findValuesAsText("text");
        List<String> onB = b.http.get("/api/channels/" + room.slug() + "/chat", null).json().at("/items").findValuesAsText("text");
        assertThat(onA).containsExactly("from A", "from B").isEqualTo(onB);
    }

    @Test
    void deletionsAndBansReachSocketsOnBothNodes() {
        Room room = room();
        Account mod = user("mod");
        Account troll = user("troll");
        Account viewer = user("viewer");
        String base = "/api/channels/" + room.slug();
        assertThat(a.http.put(base + "/moderators/" + mod.id(), room.owner().token(), null).status()).isEqualTo(201);
        try (ChatClient vA = socket(a, room, viewer); ChatClient vB = socket(b, room, viewer); ChatClient trollB = socket(b, room, troll)) {
            trollB.sendJson(map("type", "message", "text", "spam spam", "ref", "s"));
            long id = trollB.find(f -> f.path("type").asText().equals("sent"), WAIT).at("/id").asLong();
            message(vA, "spam spam");

            assertThat(b.http.delete(base + "/chat/" + id, mod.token()).status()).isEqualTo(204);
            assertThat(vA.next("message_deleted").at("/messageId").asLong()).isEqualTo(id);
            assertThat(vB.next("message_deleted").at("/messageId").asLong()).isEqualTo(id);

            assertThat(a.http.post(base + "/bans", mod.token(), map("userId", troll.id(), "reason", "spam")).status()).isEqualTo(201);
            assertThat(vA.next("user_banned").at("/user/id").asLong()).isEqualTo(troll.id());
            assertThat(vB.next("user_banned").at("/user/id").asLong()).isEqualTo(troll.id());
            // The banned user's socket is on the other node: it is told, then closed.
            assertThat(trollB.next("error").at("/code").asText()).isEqualTo("banned");
            assertThat(trollB.awaitClose(WAIT)).isEqualTo(1008);
            assertThat(b.http.post(base + "/chat", troll.token(), map("text", "x")).status()).isEqualTo(403);

            assertThat(b.http.delete(base + "/bans/" + troll.id(), mod.token()).status()).isEqualTo(204);
            assertThat(vA.next("user_unbanned").at("/user/id").asLong()).isEqualTo(troll.id());
        }
        List<String> log = a.http.get(base + "/moderation/log", mod.token()).json().at("/items").findValuesAsText("action");
        assertThat(log).containsExactly("user_unbanned", "user_banned", "message_deleted", "moderator_added");
    }

    @Test
    void rulesSetOnOneNodeAreEnforcedOnTheOther() {
        Room room = room();
        Account viewer = user("viewer");
        String base = "/api/channels/" + room.slug();
        try (ChatClient vB = socket(b, room, viewer); ChatClient vA = socket(a, room, viewer)) {
            Response set = a.http.put(base + "/chat/settings", room.owner().token(),
                    map("slowModeSeconds", 60, "maxMessageLength", 10, "blockedWords", List.of("darn")));
            assertThat(set.status()).isEqualTo(200);
            assertThat(vB.next("settings_changed").at("/settings/maxMessageLength").asInt()).isEqualTo(10);

            Map<String, String> refused = Map.of("eleven chars", "too_long", "d a r n", "blocked_word", "DARN!", "blocked_word");
            for (Map.Entry<String, String> e : refused.entrySet()) {
                vB.sendJson(map("type", "message", "text", e.getKey(), "ref", e.getKey()));
                assertThat(vB.next("error").at("/code").asText()).as(e.getKey()).isEqualTo(e.getValue());
            }
            // Slow mode counts the message posted on A when posting on B.
            vA.sendJson(map("type", "message", "text", "first", "ref", "f"));
            vA.find(f -> f.path("type").asText().equals("sent"), WAIT);
            vB.sendJson(map("type", "message", "text", "second", "ref", "s"));
            JsonNode slow = vB.next("error");
            assertThat(slow.at("/code").asText()).isEqualTo("slow_mode");
            assertThat(slow.at("/retryAfterMs").asLong()).isGreaterThan(50_000);

            assertThat(b.http.put(base + "/chat/settings", room.owner().token(), map("slowModeSeconds", 0, "followersOnly", true)).status()).isEqualTo(200);
            vA.next("settings_changed");
            vA.sendJson(map("type", "message", "text", "hi", "ref", "h"));
            assertThat(vA.next("error").at("/code").asText()).isEqualTo("followers_only");
            assertThat(b.http.post(base + "/follow", viewer.token(), null).status()).isEqualTo(200);
            vA.sendJson(map("type", "message", "text", "hi", "ref", "h2"));
            assertThat(message(vB, "hi").at("/user/id").asLong()).isEqualTo(viewer.id());
        }
    }

    @Test
    void aReportFiledOnOneNodeIsResolvedOnTheOther() {
        Room room = room();
        Account viewer = user("viewer");
        Account troll = user("troll");
        String base = "/api/channels/" + room.slug();
        long msg = a.http.post(base + "/chat", troll.token(), map("text", "nasty")).json().at("/id").asLong();
        Response filed = b.http.post(base + "/reports", viewer.token(), map("messageId", msg, "reason", "abuse"));
        assertThat(filed.status()).isEqualTo(201);
        long id = filed.json().at("/id").asLong();
        assertThat(a.http.get(base + "/reports", room.owner().token()).json().at("/items/0/id").asLong()).isEqualTo(id);
        Response resolved = a.http.post(base + "/reports/" + id + "/resolve", room.owner().token(), map("resolution", "timed out"));
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(b.http.get(base + "/reports?status=resolved", room.owner().token()).json().at("/items/0/status").asText()).isEqualTo("resolved");
        assertThat(b.http.get(base + "/reports", room.owner().token()).json().at("/items").size()).isZero();
    }

    @Test
    void presenceCountsSocketsOnAllNodes() {
        Room room = room();
        try (ChatClient onA = socket(a, room, null); ChatClient onB = socket(b, room, null); ChatClient onB2 = socket(b, room, null)) {
            assertThat(onA.next(f -> f.path("type").asText().equals("presence") && f.path("count").asInt() == 3, WAIT)).isNotNull();
            assertThat(onB.next(f -> f.path("type").asText().equals("presence") && f.path("count").asInt() == 3, WAIT)).isNotNull();
        }
    }

    @Test
    void loginThrottleIsSharedThroughRedis() {
        Account u = a.http.signup("throttled" + SEQ.incrementAndGet());
        // The default allows 10 failures per account per window; spread them over both nodes.
        for (int i = 0; i < 10; i++) {
            ApiClient n = i % 2 == 0 ? a.http : b.http;
            assertThat(n.post("/api/auth/login", null, map("login", u.username(), "password", "wrong password " + i)).status()).isEqualTo(401);
        }
        assertThat(a.http.post("/api/auth/login", null, map("login", u.username(), "password", u.password())).status()).isEqualTo(429);
        assertThat(b.http.post("/api/auth/login", null, map("login", u.username(), "password", u.password())).status()).isEqualTo(429);
    }

    // ---- revocation reaches every node (NodeCommands through Redis)

    /** The bound for a revocation to reach an open socket or a live publisher on any node. */
    static final Duration REVOKED_WITHIN = Duration.ofSeconds(1);

    static long msSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String login(NodeProcess n, Account who) {
        Response r = n.http.post("/api/auth/login", null, map("login", who.username(), "password", who.password()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/token").asText();
    }

    static ChatClient socketWith(NodeProcess n, Room room, String token) {
        ChatClient c = ChatClient.connect(n.wsUrl("/api/channels/" + room.slug() + "/chat/ws"), token);
        c.next("hello");
        return c;
    }

    static boolean stillOpen(ChatClient c) {
        c.sendJson(map("type", "ping", "ref", "p" + SEQ.incrementAndGet()));
        c.next("pong", WAIT);
        return !c.closeCode.isDone();
    }

    @Test
    void suspendingAUserOnOneNodeClosesTheirSocketOnTheOtherWithin1sAndRefusesTheirNextFrame() {
        Room room = room();
        Account suspect = user("suspect");
        try (ChatClient onB = socket(b, room, suspect); ChatClient onA = socketWith(a, room, login(a, suspect));
             ChatClient bystanderB = socket(b, room, user("bystander"))) {
            assertThat(a.http.post("/api/users/" + suspect.id() + "/suspend", admin.token(), null).status()).isEqualTo(200);
            // From the answer: the bound is on propagation, not on the request's own time under load.
            long t0 = System.nanoTime();
            assertThat(onB.awaitClose(WAIT)).isEqualTo(4003);
            long ms = msSince(t0);
            assertThat(onA.awaitClose(WAIT)).isEqualTo(4003);
            System.out.println("[revocation] suspension on node A closed the socket on node B " + ms + " ms after the request was answered");
            assertThat(ms).as("ms until the other node closed the socket").isLessThan(REVOKED_WITHIN.toMillis());
            assertThat(onB.find(f -> f.path("fatal").asBoolean(), WAIT).at("/code").asText()).isEqualTo("suspended");
            // The next frame finds the socket closed; REST and a new socket are refused on both nodes.
            assertThat(onB.trySend("{\"type\":\"message\",\"text\":\"still here?\",\"ref\":\"x\"}")).isFalse();
            assertThat(b.http.post("/api/channels/" + room.slug() + "/chat", suspect.token(), map("text", "via REST")).status()).isEqualTo(401);
            assertThat(stillOpen(bystanderB)).isTrue();
        }
        assertThat(b.http.get("/api/channels/" + room.slug() + "/chat", null).json().at("/items").size()).isZero();
    }

    @Test
    void loggingOutOnOneNodeClosesThatSessionsSocketOnTheOtherAndNoOther() {
        Room room = room();
        Account u = user("leaver");
        String second = login(a, u);
        try (ChatClient firstOnB = socketWith(b, room, u.token()); ChatClient secondOnB = socketWith(b, room, second)) {
            assertThat(a.http.delete("/api/auth/session", u.token()).status()).isEqualTo(204);
            // From the answer: the bound is on propagation, not on the request's own time under load.
            long t0 = System.nanoTime();
            assertThat(firstOnB.awaitClose(WAIT)).isEqualTo(4001);
            long ms = msSince(t0);
            System.out.println("[revocation] logout on node A closed the socket on node B " + ms + " ms after the request was answered");
            assertThat(ms).isLessThan(REVOKED_WITHIN.toMillis());
            assertThat(stillOpen(secondOnB)).isTrue();
        }
    }

    @Test
    void dismissingAModeratorOnOneNodeReachesTheirSocketOnTheOther() {
        Room room = room();
        Account mod = user("mod");
        String base = "/api/channels/" + room.slug();
        assertThat(a.http.put(base + "/moderators/" + mod.id(), room.owner().token(), null).status()).isEqualTo(201);
        try (ChatClient onB = ChatClient.connect(b.wsUrl(base + "/chat/ws"), mod.token())) {
            assertThat(onB.next("hello").at("/canModerate").asBoolean()).isTrue();
            assertThat(a.http.delete(base + "/moderators/" + mod.id(), room.owner().token()).status()).isEqualTo(204);
            // From the answer: the bound is on propagation, not on the request's own time under load.
            long t0 = System.nanoTime();
            assertThat(onB.next("rights_changed", REVOKED_WITHIN).at("/canModerate").asBoolean()).isFalse();
            System.out.println("[revocation] moderator dismissal on node A reached the socket on node B in " + msSince(t0) + " ms");
        }
    }

    @Test
    void rotatingTheKeyOnOneNodeEndsThePublisherLiveOnTheOther() {
        Room room = room();
        String key = a.http.get("/api/channels/" + room.slug() + "/stream-key", room.owner().token()).json().at("/streamKey").asText();
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(b.url("/api/whip")), key, ClientOptions.defaults().withAudio(false))) {
            pub.send(pub.video().h264(0, true));
            awaitLive(room, true, WAIT);
            assertThat(a.http.post("/api/channels/" + room.slug() + "/stream-key/rotate", room.owner().token(), null).status()).isEqualTo(200);
            // From the answer: the bound is on propagation, not on the request's own time under load.
            long t0 = System.nanoTime();
            // B ended the session: its DELETE finds nothing (and the channel reads offline).
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sessionAlive(pub)) {
                if (System.nanoTime() > deadline) throw new AssertionError("node B kept the publisher's session");
                sleep(10);
            }
            long ms = msSince(t0);
            System.out.println("[revocation] key rotation on node A ended the publisher on node B within " + ms + " ms");
            assertThat(ms).isLessThan(REVOKED_WITHIN.toMillis());
            awaitLive(room, false, WAIT);
        }
    }

    /** Whether node B still has the publisher's session: a PATCH with a bad body is 404 once the session is gone. */
    static boolean sessionAlive(PacketPublisher pub) {
        try {
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(pub.session())
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                    .header("Content-Type", "application/trickle-ice-sdpfrag").build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            return r.statusCode() != 404;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void awaitLive(Room room, boolean live, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (a.http.get("/api/channels/" + room.slug(), null).json().at("/live").asBoolean() != live) {
            if (System.nanoTime() > deadline) throw new AssertionError("channel " + room.slug() + " never read live=" + live);
            sleep(20);
        }
    }
}
