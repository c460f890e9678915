package live.cascade.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Chat on one node: the socket protocol, REST, and moderation, end to end over HTTP and WebSocket. */
class ChatApiTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);
    static TestNode node;

    @BeforeAll
    static void start() {
        node = ChatNodes.local();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static TestRoom room() {
        return TestRoom.create(node, "owner", "chat");
    }

    static Account user(String prefix) {
        return node.signup(prefix + SEQ.incrementAndGet());
    }

    static ChatClient socket(TestRoom room, Account who) {
        return ChatClient.connect(ChatNodes.ws(node, room.slug()), who == null ? null : who.token());
    }

    static Response put(String path, String token, Object body) {
        return node.send("PUT", path, token, body == null ? "{}" : body);
    }

    static Response delete(String path, String token) {
        return node.send("DELETE", path, token, null);
    }

    static Map<String, Object> message(String text, String ref) {
        return map("type", "message", "text", text, "ref", ref);
    }

    @Test
    void messagesReachEverySocketAndHistoryPagesBackwards() {
        TestRoom room = room();
        Account alice = user("alice");
        Account bob = user("bob");
        try (ChatClient anon = socket(room, null); ChatClient a = socket(room, alice); ChatClient b = socket(room, bob);
             ChatClient owner = socket(room, room.owner())) {
            JsonNode hello = anon.next("hello");
            assertThat(hello.at("/user").isNull()).isTrue();
            assertThat(hello.at("/canPost").asBoolean()).isFalse();
            assertThat(hello.at("/channel/slug").asText()).isEqualTo(room.slug());
            assertThat(hello.at("/settings/maxMessageLength").asInt()).isEqualTo(500);
            JsonNode helloA = a.next("hello");
            assertThat(helloA.at("/user/username").asText()).isEqualTo(alice.username());
            assertThat(helloA.at("/canPost").asBoolean()).isTrue();
            assertThat(helloA.at("/canModerate").asBoolean()).isFalse();
            assertThat(owner.next("hello").at("/canModerate").asBoolean()).isTrue();
            // b too must be in the room before the first message: a socket joins its room right after its hello.
            assertThat(b.next("hello").at("/user/username").asText()).isEqualTo(bob.username());

            a.sendJson(message("hello  everyone\n", "r1"));
            JsonNode sent = a.next("sent");
            assertThat(sent.at("/ref").asText()).isEqualTo("r1");
            long id = sent.at("/id").asLong();
            for (ChatClient c : List.of(anon, a, b)) {
                // The ack and the message itself may come in either order.
                JsonNode m = c.find(f -> f.path("type").asText().equals("message"), WAIT);
                assertThat(m.at("/id").asLong()).isEqualTo(id);
                assertThat(m.at("/text").asText()).isEqualTo("hello  everyone");
                assertThat(m.at("/user/id").asLong()).isEqualTo(alice.id());
                assertThat(m.at("/channelId").asLong()).isEqualTo(room.id());
            }

            Response posted = node.post("/api/channels/" + room.slug() + "/chat", bob.token(), map("text", "hi alice"));
            assertThat(posted.status()).isEqualTo(201);
            assertThat(posted.json().at("/type").asText()).isEqualTo("message");
            assertThat(anon.next("message").at("/text").asText()).isEqualTo("hi alice");
            node.post("/api/channels/" + room.id() + "/chat", alice.token(), map("text", "third"));
            anon.next("message");
        }
        Response first = node.get("/api/channels/" + room.slug() + "/chat?limit=2", null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().at("/items").findValuesAsText("text")).containsExactly("hi alice", "third");
        String next = first.json().at("/next").asText();
        Response older = node.get("/api/channels/" + room.slug() + "/chat?limit=2&before=" + next, null);
        assertThat(older.json().at("/items").findValuesAsText("text")).containsExactly("hello  everyone");
        assertThat(older.json().at("/next").isNull()).isTrue();
        assertThat(node.get("/api/channels/" + room.slug() + "/chat?before=x", null).status()).isEqualTo(400);
        assertThat(node.get("/api/channels/nochannel/chat", null).status()).isEqualTo(404);
    }

    @Test
    void anonymousViewersReadButCannotPostAndTokensInTheUrlAreIgnored() {
        TestRoom room = room();
        Account alice = user("alice");
        try (ChatClient anon = ChatClient.connect(ChatNodes.ws(node, room.slug()) + "?token=" + alice.token()
                + "&access_token=" + alice.token())) {
            assertThat(anon.next("hello").at("/user").isNull()).isTrue();
            anon.sendJson(message("let me in", "x"));
            JsonNode err = anon.next("error");
            assertThat(err.at("/code").asText()).isEqualTo("not_authenticated");
            assertThat(err.at("/ref").asText()).isEqualTo("x");
            assertThat(err.at("/message").asText()).contains("Log in");
        }
        Response r = node.post("/api/channels/" + room.slug() + "/chat", null, map("text", "hi"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(node.get("/api/channels/" + room.slug() + "/chat", null).json().at("/items").size()).isZero();
    }

    @Test
    void cookieUpgradesFromAnotherSiteAreRefused() {
        TestRoom room = room();
        Account alice = user("alice");
        String url = ChatNodes.ws(node, room.slug());
        String cookie = "cascade_session=" + alice.token();
        assertThat(ChatClient.upgradeStatus(url, "Cookie", cookie, "Origin", "http://evil.example")).isEqualTo(403);
        assertThat(ChatClient.upgradeStatus(url, "Cookie", cookie)).isEqualTo(403);
        assertThat(ChatClient.upgradeStatus(ChatNodes.ws(node, "nosuchchannel"))).isEqualTo(404);
        String origin = node.url("").replaceFirst("/$", "");
        try (ChatClient c = ChatClient.connect(url, "Cookie", cookie, "Origin", origin)) {
            assertThat(c.next("hello").at("/user/id").asLong()).isEqualTo(alice.id());
        }
    }

    @Test
    void badFramesGetAnErrorEachAndPersistenceGetsTheMatchingCloseCode() {
        TestRoom room = room();
        Account alice = user("alice");
        record Case(String frame, String code, int close) {
        }
        for (Case c : List.of(new Case("{not json", "invalid_json", 1007), new Case("[1,2]", "invalid_json", 1007),
                new Case("{\"type\":\"shout\"}", "unknown_type", 1008),
                new Case("{\"type\":\"message\",\"text\":\"" + "x".repeat(20_000) + "\"}", "frame_too_large", 1009))) {
            try (ChatClient s = socket(room, alice)) {
                s.next("hello");
                for (int i = 1; i <= 5; i++) {
                    s.send(c.frame());
                    JsonNode err = s.next("error");
                    assertThat(err.at("/code").asText()).as(c.code()).isEqualTo(c.code());
                    assertThat(err.at("/fatal").asBoolean()).isEqualTo(i == 5);
                }
                assertThat(s.awaitClose(WAIT)).as(c.code()).isEqualTo(c.close());
            }
        }
        try (ChatClient s = socket(room, alice)) {
            s.next("hello");
            s.sendBinary(new byte[]{1, 2, 3});
            assertThat(s.next("error").at("/code").asText()).isEqualTo("unsupported_data");
        }
        // Past the hard limit Jetty closes at once, without reading the frame into memory.
        try (ChatClient s = socket(room, alice)) {
            s.next("hello");
            s.send("x".repeat(70_000));
            assertThat(s.awaitClose(WAIT)).isEqualTo(1009);
        }
        // A flood: errors while it lasts, then 1008.
        try (ChatClient s = socket(room, alice)) {
            s.next("hello");
            // The server may close mid-flood, before this loop sees it: then the rest is not sent.
            for (int i = 0; i < 60 && !s.closeCode.isDone(); i++) {
                if (!s.trySend("{\"type\":\"ping\"}")) break;
            }
            JsonNode limited = s.next(f -> f.path("code").asText().equals("rate_limited"), WAIT);
            assertThat(limited.at("/retryAfterMs").asLong()).isPositive();
            assertThat(s.awaitClose(WAIT)).isEqualTo(1008);
            assertThat(s.seen().stream().filter(f -> f.path("type").asText().equals("pong")).count()).isGreaterThanOrEqualTo(15);
        }
        // The node is fine and a well-behaved client still works.
        try (ChatClient s = socket(room, alice)) {
            s.next("hello");
            s.sendJson(map("type", "ping", "ref", "p"));
            assertThat(s.next("pong").at("/ref").asText()).isEqualTo("p");
            s.sendJson(message("still here", null));
            assertThat(s.next("message").at("/text").asText()).isEqualTo("still here");
        }
        assertThat(node.get("/readyz", null).status()).isEqualTo(200);
    }

    @Test
    void settingsAreEnforcedAndAnnouncedAndTheirBlockedTermsStayWithModerators() {
        TestRoom room = room();
        Account viewer = user("viewer");
        String base = "/api/channels/" + room.slug();
        assertThat(put(base + "/chat/settings", viewer.token(), map("slowModeSeconds", 5)).status()).isEqualTo(403);
        Response bad = put(base + "/chat/settings", room.owner().token(), map("slowModeSeconds", -1, "maxMessageLength", 5000,
                "blockedPatterns", List.of("(open")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("slowModeSeconds").contains("maxMessageLength").contains("blockedPatterns[0]");

        try (ChatClient v = socket(room, viewer); ChatClient o = socket(room, room.owner())) {
            v.next("hello");
            o.next("hello");
            Response ok = put(base + "/chat/settings", room.owner().token(), map("slowModeSeconds", 30, "maxMessageLength", 20,
                    "blockedWords", List.of("badword", "badword", " spoiler "), "blockedPatterns", List.of("buy\\s+gold"), "blockLinks", true));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().at("/blockedWords").findValuesAsText("")).isEmpty();
            assertThat(ok.json().at("/blockedWords").toString()).isEqualTo("[\"badword\",\"spoiler\"]");
            JsonNode changed = v.next("settings_changed");
            assertThat(changed.at("/settings/slowModeSeconds").asInt()).isEqualTo(30);
            assertThat(changed.at("/settings/maxMessageLength").asInt()).isEqualTo(20);
            assertThat(changed.toString()).doesNotContain("badword");

            assertThat(node.get(base + "/chat/settings", viewer.token()).json().has("blockedWords")).isFalse();
            assertThat(node.get(base + "/chat/settings", null).json().at("/slowModeSeconds").asInt()).isEqualTo(30);
            assertThat(node.get(base + "/chat/settings", room.owner().token()).json().at("/blockedPatterns/0").asText()).isEqualTo("buy\\s+gold");

            Map<String, String> expected = Map.of(
                    "this message is far too long", "too_long",
                    "b a d w o r d", "blocked_word",
                    "BADWORD!", "blocked_word",
                    "BUY   GOLD", "blocked_word",
                    "see example.com", "link_blocked");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                v.sendJson(message(e.getKey(), e.getKey()));
                JsonNode err = v.next("error");
                assertThat(err.at("/code").asText()).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(err.at("/ref").asText()).isEqualTo(e.getKey());
            }
            Response rest = node.post(base + "/chat", viewer.token(), map("text", "b.a.d.w.o.r.d"));
            assertThat(rest.status()).isEqualTo(422);
            assertThat(rest.json().at("/type").asText()).isEqualTo("urn:cascade:chat:blocked_word");
            assertThat(node.post(base + "/chat", viewer.token(), map("text", "x".repeat(21))).json().at("/type").asText())
                    .isEqualTo("urn:cascade:chat:too_long");

            v.sendJson(message("hello", "h1"));
            v.next("sent");
            v.sendJson(message("hello again", "h2"));
            JsonNode slow = v.next("error");
            assertThat(slow.at("/code").asText()).isEqualTo("slow_mode");
            assertThat(slow.at("/retryAfterMs").asLong()).isBetween(25_000L, 30_000L);
            Response slowRest = node.post(base + "/chat", viewer.token(), map("text", "again"));
            assertThat(slowRest.status()).isEqualTo(429);
            assertThat(slowRest.header("Retry-After")).isNotNull();
            // The owner is exempt from slow mode and the filters, not from the length limit.
            o.sendJson(message("ok1", "o1"));
            o.next("sent");
            o.sendJson(message("see example.com", "o2"));
            o.next("sent");

            assertThat(put(base + "/chat/settings", room.owner().token(), map("slowModeSeconds", 0, "followersOnly", true)).status()).isEqualTo(200);
            v.next("settings_changed");
            v.sendJson(message("hi", "f1"));
            assertThat(v.next("error").at("/code").asText()).isEqualTo("followers_only");
            assertThat(node.post(base + "/follow", viewer.token(), null).status()).isEqualTo(200);
            v.sendJson(message("hi", "f2"));
            assertThat(v.next("sent").at("/ref").asText()).isEqualTo("f2");
            // What was changed kept what was not: the words are still blocked.
            v.sendJson(message("spoiler", "f3"));
            assertThat(v.next("error").at("/code").asText()).isEqualTo("blocked_word");
        }
    }

    @Test
    void moderatorsDeleteTimeOutAndBanAndEveryActionIsLogged() {
        TestRoom room = room();
        Account mod = user("mod");
        Account troll = user("troll");
        Account viewer = user("viewer");
        String base = "/api/channels/" + room.slug();

        assertThat(put(base + "/moderators/" + mod.id(), viewer.token(), null).status()).isEqualTo(403);
        assertThat(put(base + "/moderators/" + mod.id(), room.owner().token(), null).status()).isEqualTo(201);
        assertThat(put(base + "/moderators/" + mod.id(), room.owner().token(), null).status()).isEqualTo(200);
        assertThat(put(base + "/moderators/999999", room.owner().token(), null).status()).isEqualTo(404);
        assertThat(node.get(base + "/moderators", null).json().at("/items/0/username").asText()).isEqualTo(mod.username());

        try (ChatClient v = socket(room, viewer); ChatClient t = socket(room, troll); ChatClient m = socket(room, mod)) {
            v.next("hello");
            t.next("hello");
            assertThat(m.next("hello").at("/canModerate").asBoolean()).isTrue();
            t.sendJson(message("rude words", "r"));
            long id = t.next("sent").at("/id").asLong();
            v.next("message");

            assertThat(delete(base + "/chat/" + id, viewer.token()).status()).isEqualTo(403);
            assertThat(delete(base + "/chat/" + id + "?reason=rude", mod.token()).status()).isEqualTo(204);
            assertThat(delete(base + "/chat/" + id, mod.token()).status()).isEqualTo(404);
            assertThat(v.next("message_deleted").at("/messageId").asLong()).isEqualTo(id);
            assertThat(t.next("message_deleted").at("/messageId").asLong()).isEqualTo(id);
            assertThat(node.get(base + "/chat", null).json().at("/items").size()).isZero();

            Response timeout = node.post(base + "/bans", mod.token(), map("userId", troll.id(), "durationSeconds", 60, "reason", "cool off"));
            assertThat(timeout.status()).isEqualTo(201);
            assertThat(timeout.json().at("/permanent").asBoolean()).isFalse();
            JsonNode to = v.next("user_timed_out");
            assertThat(to.at("/user/id").asLong()).isEqualTo(troll.id());
            assertThat(to.at("/durationSeconds").asLong()).isEqualTo(60);
            t.next("user_timed_out");
            Response blocked = node.post(base + "/chat", troll.token(), map("text", "let me talk"));
            assertThat(blocked.status()).isEqualTo(403);
            assertThat(blocked.json().at("/type").asText()).isEqualTo("urn:cascade:chat:timed_out");
            assertThat(blocked.json().at("/detail").asText()).contains("cool off");
            assertThat(blocked.header("Retry-After")).isNotNull();
            t.sendJson(message("let me talk", "t2"));
            JsonNode err = t.next("error");
            assertThat(err.at("/code").asText()).isEqualTo("timed_out");
            assertThat(err.at("/retryAfterMs").asLong()).isPositive();

            // Bans of the owner, of admins (the first account is one) or of a moderator by a moderator are refused.
            assertThat(node.post(base + "/bans", mod.token(), map("userId", room.owner().id())).status()).isEqualTo(403);
            assertThat(node.post(base + "/bans", mod.token(), map("userId", mod.id())).status()).isEqualTo(400);
            Account mod2 = user("mod");
            put(base + "/moderators/" + mod2.id(), room.owner().token(), null);
            assertThat(node.post(base + "/bans", mod.token(), map("userId", mod2.id())).status()).isEqualTo(403);
            assertThat(node.post(base + "/bans", mod.token(), map("userId", troll.id(), "durationSeconds", 0)).status()).isEqualTo(400);
            assertThat(node.post(base + "/bans", viewer.token(), map("userId", troll.id())).status()).isEqualTo(403);

            Response ban = node.post(base + "/bans", mod.token(), map("userId", troll.id(), "reason", "spam"));
            assertThat(ban.status()).isEqualTo(201);
            assertThat(ban.json().at("/permanent").asBoolean()).isTrue();
            assertThat(v.next("user_banned").at("/user/id").asLong()).isEqualTo(troll.id());
            t.next("user_banned");
            JsonNode told = t.next("error");
            assertThat(told.at("/code").asText()).isEqualTo("banned");
            assertThat(told.at("/fatal").asBoolean()).isTrue();
            assertThat(t.awaitClose(WAIT)).isEqualTo(1008);
            assertThat(v.closeCode.isDone()).isFalse();
        }
        try (ChatClient again = socket(room, troll)) {
            assertThat(again.next("error").at("/code").asText()).isEqualTo("banned");
            assertThat(again.awaitClose(WAIT)).isEqualTo(1008);
        }
        assertThat(node.post(base + "/chat", troll.token(), map("text", "x")).json().at("/type").asText()).isEqualTo("urn:cascade:chat:banned");
        assertThat(node.get(base + "/bans", mod.token()).json().at("/items/0/userId").asLong()).isEqualTo(troll.id());
        assertThat(node.get(base + "/bans", viewer.token()).status()).isEqualTo(403);
        assertThat(delete(base + "/bans/" + troll.id(), mod.token()).status()).isEqualTo(204);
        assertThat(delete(base + "/bans/" + troll.id(), mod.token()).status()).isEqualTo(404);
        assertThat(node.post(base + "/chat", troll.token(), map("text", "sorry")).status()).isEqualTo(201);
        assertThat(delete(base + "/moderators/" + mod2Id(base), room.owner().token()).status()).isEqualTo(204);

        Response log = node.get(base + "/moderation/log?limit=100", mod.token());
        assertThat(log.status()).isEqualTo(200);
        List<String> actions = log.json().at("/items").findValuesAsText("action");
        assertThat(actions).containsExactly("moderator_removed", "user_unbanned", "user_banned", "moderator_added",
                "user_timed_out", "message_deleted", "moderator_added");
        JsonNode deleted = log.json().at("/items/5");
        assertThat(deleted.at("/actor/id").asLong()).isEqualTo(mod.id());
        assertThat(deleted.at("/target/id").asLong()).isEqualTo(troll.id());
        assertThat(deleted.at("/reason").asText()).isEqualTo("rude");
        assertThat(deleted.at("/detail").asText()).isEqualTo("rude words");
        assertThat(deleted.at("/at").asText()).isNotBlank();
        assertThat(node.get(base + "/moderation/log", viewer.token()).status()).isEqualTo(403);
        Response page = node.get(base + "/moderation/log?limit=3", mod.token());
        Response rest = node.get(base + "/moderation/log?limit=100&before=" + page.json().at("/next").asText(), mod.token());
        assertThat(rest.json().at("/items").size()).isEqualTo(4);
    }

    private static long mod2Id(String base) {
        JsonNode items = node.get(base + "/moderators", null).json().at("/items");
        return items.get(items.size() - 1).at("/userId").asLong();
    }

    @Test
    void reportsAreFiledByViewersAndResolvedByModerators() {
        TestRoom room = room();
        Account viewer = user("viewer");
        Account troll = user("troll");
        String base = "/api/channels/" + room.slug();
        long msg = node.post(base + "/chat", troll.token(), map("text", "buy my stuff")).json().at("/id").asLong();

        assertThat(node.post(base + "/reports", null, map("messageId", msg, "reason", "spam")).status()).isEqualTo(401);
        assertThat(node.post(base + "/reports", viewer.token(), map("messageId", msg)).status()).isEqualTo(400);
        assertThat(node.post(base + "/reports", troll.token(), map("messageId", msg, "reason", "me")).status()).isEqualTo(400);
        assertThat(node.post(base + "/reports", viewer.token(), map("messageId", 999999, "reason", "x")).status()).isEqualTo(400);
        Response filed = node.post(base + "/reports", viewer.token(), map("messageId", msg, "reason", "spam"));
        assertThat(filed.status()).isEqualTo(201);
        long reportId = filed.json().at("/id").asLong();
        assertThat(filed.json().at("/target/id").asLong()).isEqualTo(troll.id());
        assertThat(filed.json().at("/status").asText()).isEqualTo("open");
        Response byUser = node.post(base + "/reports", viewer.token(), map("userId", troll.id(), "reason", "rude name"));
        assertThat(byUser.status()).isEqualTo(201);

        assertThat(node.get(base + "/reports", viewer.token()).status()).isEqualTo(403);
        Response open = node.get(base + "/reports", room.owner().token());
        assertThat(open.json().at("/items").findValuesAsText("reason")).containsExactly("rude name", "spam");
        Response resolved = node.post(base + "/reports/" + reportId + "/resolve", room.owner().token(), map("resolution", "deleted it"));
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.json().at("/status").asText()).isEqualTo("resolved");
        assertThat(resolved.json().at("/resolution").asText()).isEqualTo("deleted it");
        assertThat(node.post(base + "/reports/" + reportId + "/resolve", room.owner().token(), null).status()).isEqualTo(409);
        assertThat(node.post(base + "/reports/999999/resolve", room.owner().token(), null).status()).isEqualTo(404);
        assertThat(node.get(base + "/reports", room.owner().token()).json().at("/items").size()).isEqualTo(1);
        assertThat(node.get(base + "/reports?status=resolved", room.owner().token()).json().at("/items/0/id").asLong()).isEqualTo(reportId);
        assertThat(node.get(base + "/reports?status=all", room.owner().token()).json().at("/items").size()).isEqualTo(2);
        assertThat(node.get(base + "/reports?status=bogus", room.owner().token()).status()).isEqualTo(400);
        assertThat(node.get(base + "/moderation/log", room.owner().token()).json().at("/items/0/action").asText()).isEqualTo("report_resolved");
    }

    @Test
    void presenceCountsSocketsAndIsSentWhenItChanges() {
        TestRoom room = room();
        try (ChatClient a = socket(room, null)) {
            a.next("hello");
            assertThat(a.next(f -> f.path("type").asText().equals("presence") && f.path("count").asInt() == 1, WAIT)).isNotNull();
            try (ChatClient b = socket(room, null)) {
                b.next("hello");
                assertThat(a.next(f -> f.path("type").asText().equals("presence") && f.path("count").asInt() == 2, WAIT)).isNotNull();
            }
            assertThat(a.next(f -> f.path("type").asText().equals("presence") && f.path("count").asInt() == 1, WAIT)).isNotNull();
        }
    }

    @Test
    void readinessHasNoRedisComponentOnASingleNode() {
        JsonNode h = node.get("/readyz", null).json();
        assertThat(h.at("/status").asText()).isEqualTo("ok");
        assertThat(h.has("redis")).isFalse();
    }

    @Test
    void eachUserHasARateLimit() {
        try (TestNode limited = ChatNodes.local("--chat-rate-limit", "3", "--chat-rate-window", "1m")) {
            Account owner = limited.signup("rlowner");
            limited.post("/api/channels", owner.token(), map("slug", "rlchan", "title", "rl", "category", "Testing"));
            Account u = limited.signup("rluser");
            for (int i = 0; i < 3; i++) assertThat(limited.post("/api/channels/rlchan/chat", u.token(), map("text", "m" + i)).status()).isEqualTo(201);
            Response r = limited.post("/api/channels/rlchan/chat", u.token(), map("text", "one too many"));
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().at("/type").asText()).isEqualTo("urn:cascade:chat:rate_limited");
            try (ChatClient s = ChatClient.connect(ChatNodes.ws(limited, "rlchan"), u.token())) {
                s.next("hello");
                s.sendJson(message("and another", "z"));
                assertThat(s.next("error").at("/code").asText()).isEqualTo("rate_limited");
            }
            // Someone else is not affected.
            assertThat(limited.post("/api/channels/rlchan/chat", owner.token(), map("text", "fine")).status()).isEqualTo(201);
        }
    }
}
