package live.cascade.api.auth;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {
    static TestNode node;
    static Account admin;

    @BeforeAll
    static void start() {
        node = new TestNode("--login-max-failures-per-account", "3", "--login-max-failures-per-ip", "50");
        admin = node.signup("root_admin");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void firstAccountOnAnEmptyNodeIsAdminAndLaterOnesAreUsers() {
        try (TestNode fresh = new TestNode()) {
            Response first = fresh.post("/api/auth/signup", null, map("username", "owner", "email", "o@example.org", "password", "first of them all"));
            assertThat(first.json().at("/user/role").asText()).isEqualTo("admin");
            Response second = fresh.post("/api/auth/signup", null, map("username", "owner2", "email", "o2@example.org", "password", "second of them all"));
            assertThat(second.json().at("/user/role").asText()).isEqualTo("user");
        }
    }

    @Test
    void signupReturnsUserAndTokenAndSetsSessionCookie() {
        Response r = node.post("/api/auth/signup", null, map("username", "Alice_1", "email", "alice@example.org", "password", "a long passphrase"));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().at("/user/username").asText()).isEqualTo("Alice_1");
        assertThat(r.json().at("/user/email").asText()).isEqualTo("alice@example.org");
        assertThat(r.json().at("/token").asText()).startsWith("cls_");
        assertThat(r.header("Set-Cookie")).contains("cascade_session=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(r.json().at("/user/role").asText()).isEqualTo("user");
        assertThat(node.get("/api/auth/session", r.json().at("/token").asText()).status()).isEqualTo(200);
    }

    @Test
    void signupRejectsTakenUsernameCaseInsensitivelyWith409() {
        node.signup("Bobby");
        Response r = node.post("/api/auth/signup", null, map("username", "bobby", "email", "other@example.org", "password", "another passphrase"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("username");
    }

    @Test
    void signupListsEveryInvalidField() {
        Response r = node.post("/api/auth/signup", null, map("username", "x", "email", "nope", "password", "password123"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/status").asInt()).isEqualTo(400);
        assertThat(r.json().at("/errors").findValuesAsText("field")).containsExactlyInAnyOrder("username", "email", "password");
        assertThat(r.body()).contains("most common passwords");
    }

    @Test
    void loginByUsernameOrEmailAndSessionAndLogout() {
        Account a = node.signup("carol");
        Response byEmail = node.post("/api/auth/login", null, map("login", "CAROL@example.org", "password", a.password()));
        assertThat(byEmail.status()).isEqualTo(200);
        String token = byEmail.json().at("/token").asText();
        assertThat(node.get("/api/auth/session", token).json().at("/user/username").asText()).isEqualTo("carol");

        assertThat(node.send("DELETE", "/api/auth/session", token, null).status()).isEqualTo(204);
        assertThat(node.get("/api/auth/session", token).status()).isEqualTo(401);
        // The sign-up session is another session and still works.
        assertThat(node.get("/api/auth/session", a.token()).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIs401() {
        node.signup("dave");
        Response r = node.post("/api/auth/login", null, map("login", "dave", "password", "not the password"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/detail").asText()).contains("wrong");
        assertThat(node.post("/api/auth/login", null, map("login", "nobody_here", "password", "whatever it is")).status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresAreThrottledWith429AndRetryAfter() {
        Account e = node.signup("erin");
        for (int i = 0; i < 3; i++) {
            assertThat(node.post("/api/auth/login", null, map("login", "erin", "password", "guess number " + i)).status()).isEqualTo(401);
        }
        Response blocked = node.post("/api/auth/login", null, map("login", "erin", "password", e.password()));
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 15 * 60L);
        assertThat(blocked.json().at("/detail").asText()).contains("Too many failed logins");
    }

    @Test
    void logOutEverywhereEndsAllSessions() {
        Account f = node.signup("frank");
        String second = node.post("/api/auth/login", null, map("login", "frank", "password", f.password())).json().at("/token").asText();
        Response r = node.send("DELETE", "/api/auth/sessions", f.token(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/sessionsEnded").asInt()).isEqualTo(2);
        assertThat(node.get("/api/auth/session", f.token()).status()).isEqualTo(401);
        assertThat(node.get("/api/auth/session", second).status()).isEqualTo(401);
    }

    @Test
    void passwordChangeNeedsCurrentPasswordAndEndsOtherSessions() {
        Account g = node.signup("grace");
        String other = node.post("/api/auth/login", null, map("login", "grace", "password", g.password())).json().at("/token").asText();
        Response wrong = node.post("/api/auth/password", g.token(), map("currentPassword", "not it at all", "newPassword", "a brand new passphrase"));
        assertThat(wrong.status()).isEqualTo(403);

        Response ok = node.post("/api/auth/password", g.token(), map("currentPassword", g.password(), "newPassword", "a brand new passphrase"));
        assertThat(ok.status()).isEqualTo(200);
        String fresh = ok.json().at("/token").asText();
        assertThat(node.get("/api/auth/session", fresh).status()).isEqualTo(200);
        assertThat(node.get("/api/auth/session", other).status()).isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", "grace", "password", g.password())).status()).isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", "grace", "password", "a brand new passphrase")).status()).isEqualTo(200);
    }

    @Test
    void suspendedUserIsRefusedAtLoginAndLosesSessions() {
        String admin = adminToken();
        Account h = node.signup("heidi");
        assertThat(node.post("/api/users/" + h.id() + "/suspend", admin, null).status()).isEqualTo(200);
        assertThat(node.get("/api/auth/session", h.token()).status()).isEqualTo(401);
        Response r = node.post("/api/auth/login", null, map("login", "heidi", "password", h.password()));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/detail").asText()).contains("suspended");

        assertThat(node.post("/api/users/" + h.id() + "/restore", admin, null).status()).isEqualTo(200);
        assertThat(node.post("/api/auth/login", null, map("login", "heidi", "password", h.password())).status()).isEqualTo(200);
    }

    @Test
    void onlyAdminsListAndSuspendUsers() {
        Account i = node.signup("ivan");
        assertThat(node.get("/api/users", i.token()).status()).isEqualTo(403);
        assertThat(node.get("/api/users", null).status()).isEqualTo(401);
        assertThat(node.post("/api/users/" + i.id() + "/suspend", i.token(), null).status()).isEqualTo(403);
        Response list = node.get("/api/users?limit=2", adminToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().at("/items").size()).isEqualTo(2);
        assertThat(list.json().at("/next").isNull()).isFalse();
        // Another user's email is not shown to the public.
        assertThat(node.get("/api/users/" + i.id(), null).json().has("email")).isFalse();
    }

    @Test
    void cookieAuthenticatedPostFromForeignOriginIsRefused() {
        Account j = node.signup("judy");
        String cookie = "cascade_session=" + j.token();
        Map<String, Object> body = map("slug", "judys", "title", "Judy live", "category", "Art");
        Response foreign = node.send("POST", "/api/channels", null, body, "Cookie", cookie, "Origin", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().at("/detail").asText()).contains("another site");
        Response none = node.send("POST", "/api/channels", null, body, "Cookie", cookie);
        assertThat(none.status()).isEqualTo(403);
        String own = "http://127.0.0.1:" + node.server.port();
        Response same = node.send("POST", "/api/channels", null, body, "Cookie", cookie, "Origin", own);
        assertThat(same.status()).isEqualTo(201);
        // Reads by cookie need no Origin.
        assertThat(node.send("GET", "/api/auth/session", null, null, "Cookie", cookie).status()).isEqualTo(200);
    }

    private static String adminToken() {
        return admin.token();
    }
}
