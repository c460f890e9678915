package live.cascade.api.safety;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.api.chat.ChatClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The terms gate (writes held until the current Terms and Privacy notice are accepted, reads open) and the server-side
 * age gate of mature channels (WHEP and the live HLS master need the proof from POST /api/age-gate), through the HTTP
 * API of a real node on a real database: H2 in {@link TermsAndAgeGateTest}, PostgreSQL in
 * {@link TermsAndAgeGatePostgresTest}. Each test publishes the versions it needs, so they run in any order; everything
 * that would itself be held by the gate is set up before the first text is published.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TermsAndAgeGateContract {
    static final String SDP = "application/sdp";
    static final String TERMS_TYPE = "urn:cascade:terms-not-accepted";
    static final String AGE_TYPE = "urn:cascade:age-gate";

    TestNode node;
    Account admin;
    Account alice;
    Account bob;
    Account minor;
    Account adult;
    String aliceKey;

    /** A node on this class's database. */
    abstract TestNode newNode();

    @BeforeAll
    void start() {
        node = newNode();
        admin = node.signup("tg_admin"); // the first account is the administrator
        alice = node.signup("tg_alice");
        bob = node.signup("tg_bob");
        minor = node.signup("tg_minor");
        adult = node.signup("tg_adult");
        Response created = node.post("/api/channels", alice.token(), map("slug", "tg_alice", "title", "Alice talks", "category", "Talk"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        aliceKey = created.json().at("/streamKey").asText();
        assertThat(node.post("/api/channels", bob.token(), map("slug", "tg_late", "title", "Late show", "category", "Talk")).status()).isEqualTo(201);
        assertThat(node.send("PATCH", "/api/channels/tg_late", bob.token(), map("mature", true)).json().at("/mature").asBoolean()).isTrue();
        assertThat(node.send("PUT", "/api/me/birth-year", minor.token(), map("birthYear", Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() - 12)).status()).isEqualTo(200);
        assertThat(node.send("PUT", "/api/me/birth-year", adult.token(), map("birthYear", 1980)).status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        closeDatabase();
    }

    void closeDatabase() {
    }

    static Response ok(Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }

    static void assertProblem(Response r, int status, String type, String... detailParts) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().at("/type").asText()).isEqualTo(type);
        assertThat(r.json().at("/detail").asText()).contains(detailParts);
    }

    int publish(String kind, String body) {
        return ok(node.send("PUT", "/api/admin/legal/" + kind, admin.token(), map("body", body)), 201).json().at("/version").asInt();
    }

    void accept(Account who, String kind, int version) {
        ok(node.post("/api/me/legal/accept", who.token(), map("kind", kind, "version", version)), 204);
    }

    /** Accepts whatever the account has pending, as /accept-terms does (another test of the class may have published). */
    void acceptAll(Account who) {
        JsonNode mine = ok(node.get("/api/me/legal", who.token()), 200).json();
        for (String kind : new String[] {"terms", "privacy"}) {
            if (!mine.at("/current/" + kind).isNull()) accept(who, kind, mine.at("/current/" + kind).asInt());
        }
    }

    Response whep(String slug, String query) {
        return node.send("POST", "/api/whep/" + slug + query, null, "v=0\r\n", "Content-Type", SDP);
    }

    @Test
    void aNewTermsVersionHoldsWritesUntilAcceptedWhileReadsStayOpen() {
        int terms = publish("terms", "Be kind. Version " + System.nanoTime());

        // Reads are open.
        ok(node.get("/api/channels/tg_alice", alice.token()), 200);
        ok(node.get("/api/channels/tg_alice/chat", alice.token()), 200);
        ok(node.get("/api/me/legal", alice.token()), 200);
        // Writes are held, each with the same problem naming the text, its version and where to accept it.
        String[] says = {"Terms of Service (version " + terms + ", /terms)", "/accept-terms", "POST /api/me/legal/accept"};
        assertProblem(node.send("PATCH", "/api/channels/tg_alice", alice.token(), map("title", "New title")), 403, TERMS_TYPE, says);
        assertProblem(node.post("/api/channels/tg_alice/chat", alice.token(), map("text", "hi")), 403, TERMS_TYPE, says);
        assertProblem(node.post("/api/channels", alice.token(), map("slug", "tg_alice2", "title", "t", "category", "Talk")), 403, TERMS_TYPE, says);
        assertProblem(node.post("/api/channels/tg_late/follow", alice.token(), null), 403, TERMS_TYPE, says);
        assertProblem(node.send("PUT", "/api/profiles/" + alice.id(), alice.token(), map("bio", "me")), 403, TERMS_TYPE, says);
        // Going live (a stream key's WHIP offer) waits too; nothing was parsed of the offer.
        Response whip = node.send("POST", "/api/whip", null, "v=0\r\n", "Content-Type", SDP, "Authorization", "Bearer " + aliceKey);
        assertThat(whip.status()).as(whip.body()).isEqualTo(403);
        assertThat(whip.json().at("/detail").asText()).contains("cannot go live yet", "/accept-terms");
        // The chat socket refuses her message with its own error code, and keeps the socket open.
        try (ChatClient socket = ChatClient.connect(node.url("/api/channels/tg_alice/chat/ws").replaceFirst("^http", "ws"), alice.token())) {
            socket.next(f -> "hello".equals(f.path("type").asText()), Duration.ofSeconds(10));
            socket.sendJson(map("type", "message", "text", "still here?", "ref", "t1"));
            JsonNode error = socket.next(f -> "error".equals(f.path("type").asText()), Duration.ofSeconds(10));
            assertThat(error.at("/code").asText()).isEqualTo("terms_not_accepted");
            assertThat(error.at("/message").asText()).contains("/accept-terms");
            assertThat(error.at("/fatal").asBoolean(false)).isFalse();
        }
        // Deleting, the account's own rights and administrators are not held.
        ok(node.send("DELETE", "/api/channels/tg_late/follow", alice.token(), null), 200);
        ok(node.post("/api/reports", alice.token(), map("subjectKind", "channel", "subjectId",
                node.get("/api/channels/tg_late", null).json().at("/id").asLong(), "reason", "spam")), 201);
        ok(node.send("PATCH", "/api/channels/tg_alice", admin.token(), map("title", "Fixed by staff")), 200);

        // An older version does not count: accepting the one before is refused, the current one opens the writes.
        Response wrong = node.post("/api/me/legal/accept", alice.token(), map("kind", "terms", "version", terms - 1));
        assertThat(wrong.status()).isEqualTo(400);
        accept(alice, "terms", terms);
        ok(node.send("PATCH", "/api/channels/tg_alice", alice.token(), map("title", "New title")), 200);
        ok(node.post("/api/channels/tg_alice/chat", alice.token(), map("text", "hi")), 201);

        // A new Privacy notice holds her again, naming that text only.
        int privacy = publish("privacy", "We keep little. " + System.nanoTime());
        Response held = node.post("/api/channels/tg_alice/chat", alice.token(), map("text", "again"));
        assertProblem(held, 403, TERMS_TYPE, "Privacy notice (version " + privacy + ", /privacy)");
        assertThat(held.json().at("/detail").asText()).doesNotContain("Terms of Service");
        accept(alice, "privacy", privacy);
        ok(node.post("/api/channels/tg_alice/chat", alice.token(), map("text", "again")), 201);
        JsonNode mine = ok(node.get("/api/me/legal", alice.token()), 200).json();
        assertThat(mine.at("/current/terms").asInt()).isEqualTo(terms);
        assertThat(mine.at("/current/privacy").asInt()).isEqualTo(privacy);
    }

    @Test
    void aMatureChannelsWhepAndHlsNeedTheAgeGatesProof() {
        // Without a proof: 403 with the problem, before anything else is looked at (the channel is not even live).
        String[] says = {"tg_late", "for adults", "POST /api/age-gate"};
        assertProblem(whep("tg_late", ""), 403, AGE_TYPE, says);
        assertProblem(node.get("/hls/tg_late/master.m3u8", null), 403, AGE_TYPE, says);
        // A channel that is not mature is not gated: the usual answer for a channel that is off the air.
        assertThat(whep("tg_alice", "").status()).isNotEqualTo(403);
        assertThat(node.get("/hls/tg_alice/master.m3u8", null).status()).isEqualTo(404);

        // Anonymous: the proof needs the declaration.
        assertThat(node.post("/api/age-gate", null, map()).json().at("/errors/0/field").asText()).isEqualTo("confirmAdult");
        JsonNode proof = ok(node.post("/api/age-gate", null, map("confirmAdult", true)), 200).json();
        String token = proof.at("/token").asText();
        assertThat(proof.at("/parameter").asText()).isEqualTo("age");
        assertThat(Instant.parse(proof.at("/expiresAt").asText())).isBetween(Instant.now().plus(Duration.ofHours(5)), Instant.now().plus(Duration.ofHours(7)));
        Response withProof = whep("tg_late", "?age=" + token);
        assertThat(withProof.status()).as(withProof.body()).isNotEqualTo(403);
        assertThat(node.get("/hls/tg_late/master.m3u8?age=" + token, null).status()).as("past the gate: not live").isEqualTo(404);
        // A forged or altered proof is no proof.
        String altered = token.substring(0, 10) + (token.charAt(10) == 'A' ? 'B' : 'A') + token.substring(11);
        assertProblem(whep("tg_late", "?age=" + altered), 403, AGE_TYPE, says);
        assertProblem(node.get("/hls/tg_late/master.m3u8?age=not-a-token", null), 403, AGE_TYPE, says);

        // Signed in: the confirmed birth year decides, whatever the body says.
        assertProblem(node.post("/api/age-gate", minor.token(), map("confirmAdult", true)), 403, AGE_TYPE, "does not open them");
        assertProblem(node.post("/api/age-gate", alice.token(), map("confirmAdult", true)), 403, AGE_TYPE, "PUT /api/me/birth-year");
        String adultProof = ok(node.post("/api/age-gate", adult.token(), map()), 200).json().at("/token").asText();
        assertThat(node.get("/hls/tg_late/master.m3u8?age=" + adultProof, null).status()).isEqualTo(404);

        // A recording of the mature channel: its file and VOD playlist need the proof too, except for its owner.
        long channelId = node.server.database().channels().findBySlug("tg_late").orElseThrow().id();
        live.cascade.db.Recording rec = node.server.database().recordings().create(new live.cascade.db.NewRecording(channelId, null, null,
                "Late show, last night", live.cascade.db.Recording.READY, null, "mp4", "h264", "aac", 640, 360, 60_000, 1_000,
                "missing/recording.mp4", null, null, Instant.now().minus(Duration.ofDays(1)), 1));
        node.server.database().recordings().publish(rec.id(), Instant.now());
        String[] vodSays = {"Recording " + rec.id(), "tg_late", "for adults", "?age="};
        assertProblem(node.get("/api/recordings/" + rec.id() + "/media", null), 403, AGE_TYPE, vodSays);
        assertProblem(node.get("/api/recordings/" + rec.id() + "/playlist.m3u8", adult.token()), 403, AGE_TYPE, vodSays);
        assertThat(node.get("/api/recordings/" + rec.id(), null).status()).as("its listing entry is not gated").isEqualTo(200);
        assertThat(node.get("/api/recordings/" + rec.id() + "/media?age=" + token, null).status()).as("past the gate: the file is missing").isEqualTo(404);
        assertThat(node.get("/api/recordings/" + rec.id() + "/media", bob.token()).status()).as("its owner").isEqualTo(404);
        assertThat(node.get("/api/recordings/99999999/media", null).status()).isEqualTo(404);

        // The flag is read through a cache of seconds: made not mature, the channel opens without a proof.
        acceptAll(bob);
        ok(node.send("PATCH", "/api/channels/tg_late", bob.token(), Map.of("mature", false)), 200);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status;
            do {
                status = node.get("/hls/tg_late/master.m3u8", null).status();
            } while (status == 403 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(404);
        } finally {
            ok(node.send("PATCH", "/api/channels/tg_late", bob.token(), Map.of("mature", true)), 200);
        }
    }
}
