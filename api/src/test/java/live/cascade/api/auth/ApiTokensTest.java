package live.cascade.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-account API tokens on a real node: shown once, stored hashed, scoped (read, stream, moderate, admin) on the REST
 * API, last use recorded, revocable, and never able to manage tokens themselves.
 */
class ApiTokensTest {
    static TestNode node;
    static Account admin;
    static Account alice;

    @BeforeAll
    static void start() {
        node = new TestNode();
        admin = node.signup("tokens_admin");
        alice = node.signup("tokens_alice");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static JsonNode create(Account owner, String name, List<String> scopes) {
        TestNode.Response r = node.post("/api/tokens", owner.token(), map("name", name, "scopes", scopes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void aReadTokenReadsButCannotChangeAndTheListShowsItsLastUseButNeverTheToken() {
        JsonNode created = create(alice, "dashboard", List.of("read"));
        String token = created.at("/token").asText();
        assertThat(token).startsWith("cat_").hasSizeGreaterThan(30);

        TestNode.Response me = node.get("/api/auth/session", token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().at("/user/username").asText()).isEqualTo("tokens_alice");

        TestNode.Response change = node.post("/api/channels", token, map("slug", "alice-read", "title", "t", "category", "Test"));
        assertThat(change.status()).isEqualTo(403);
        assertThat(change.header("Content-Type")).contains("application/problem+json");
        assertThat(change.json().at("/detail").asText()).contains("'stream' scope", "this one has: read");

        TestNode.Response list = node.get("/api/tokens", alice.token());
        assertThat(list.status()).isEqualTo(200);
        JsonNode mine = list.json().at("/tokens").get(0);
        assertThat(mine.at("/name").asText()).isEqualTo("dashboard");
        assertThat(mine.at("/lastUsedAt").isNull()).as("last use recorded: " + mine).isFalse();
        assertThat(list.body()).doesNotContain(token).doesNotContain(Secrets.sha256Hex(token));
    }

    @Test
    void aStreamTokenCreatesAChannelAndReadsItsStreamKey() {
        String token = create(alice, "obs", List.of("read", "stream")).at("/token").asText();
        TestNode.Response ch = node.post("/api/channels", token, map("slug", "alice-stream", "title", "t", "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        assertThat(node.get("/api/channels/alice-stream/stream-key", token).status()).isEqualTo(200);
    }

    @Test
    void aRevokedTokenNoLongerWorks() {
        JsonNode created = create(alice, "old script", List.of("read"));
        String token = created.at("/token").asText();
        assertThat(node.get("/api/auth/session", token).status()).isEqualTo(200);
        assertThat(node.send("DELETE", "/api/tokens/" + created.at("/id").asLong(), alice.token(), null).status()).isEqualTo(204);
        assertThat(node.get("/api/auth/session", token).status()).isEqualTo(401);
        assertThat(node.send("DELETE", "/api/tokens/" + created.at("/id").asLong(), alice.token(), null).status()).isEqualTo(404);
        // Another account cannot revoke it either.
        JsonNode other = create(alice, "other", List.of("read"));
        assertThat(node.send("DELETE", "/api/tokens/" + other.at("/id").asLong(), admin.token(), null).status()).isEqualTo(404);
    }

    @Test
    void tokensCannotManageTokensAndOnlyAnAdministratorsTokenIsAdmin() {
        String token = create(alice, "all", List.of("read", "stream", "moderate")).at("/token").asText();
        TestNode.Response mint = node.post("/api/tokens", token, map("name", "x", "scopes", List.of("read")));
        assertThat(mint.status()).isEqualTo(403);
        assertThat(mint.json().at("/detail").asText()).contains("login session");

        TestNode.Response notAdmin = node.post("/api/tokens", alice.token(), map("name", "x", "scopes", List.of("admin")));
        assertThat(notAdmin.status()).isEqualTo(400);
        assertThat(notAdmin.body()).contains("only an administrator's token");

        String adminRead = create(admin, "audit", List.of("read")).at("/token").asText();
        TestNode.Response log = node.get("/api/admin/log", adminRead);
        assertThat(log.status()).isEqualTo(403);
        assertThat(log.json().at("/detail").asText()).contains("'admin' scope");
        String adminAll = create(admin, "ops", List.of("read", "admin")).at("/token").asText();
        assertThat(node.get("/api/admin/log", adminAll).status()).isEqualTo(200);
    }

    @Test
    void badRequestsSayWhatToSend() {
        TestNode.Response r = node.post("/api/tokens", alice.token(), map("name", "", "scopes", List.of("write")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("name", "'write' is not a scope");
        assertThat(node.post("/api/tokens", null, map("name", "x", "scopes", List.of("read"))).status()).isEqualTo(401);
    }

    @Test
    void theScopeARouteNeeds() {
        assertThat(ScopeGuard.required("GET", "/api/channels/x")).isEqualTo(Scope.READ);
        assertThat(ScopeGuard.required("POST", "/api/channels")).isEqualTo(Scope.STREAM);
        assertThat(ScopeGuard.required("POST", "/api/channels/x/bans")).isEqualTo(Scope.MODERATE);
        assertThat(ScopeGuard.required("DELETE", "/api/channels/x/chat/42")).isEqualTo(Scope.MODERATE);
        assertThat(ScopeGuard.required("POST", "/api/channels/x/chat")).isEqualTo(Scope.STREAM);
        assertThat(ScopeGuard.required("POST", "/api/users/3/suspend")).isEqualTo(Scope.ADMIN);
        assertThat(ScopeGuard.required("GET", "/api/admin/log")).isEqualTo(Scope.ADMIN);
    }
}
