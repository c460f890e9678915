package live.cascade.api.auth;

import live.cascade.api.LoopbackHttp;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login throttle against a real node, with guessers on other loopback addresses (127.0.0.2, 127.0.0.3) and the
 * account's owner on 127.0.0.1: the guesser is stopped, the owner is not.
 */
class LoginThrottleTest {
    @Test
    void aLockedOutAccountStillLogsInFromAnotherAddressWithTheRightPassword() {
        try (TestNode node = new TestNode("--login-max-failures-per-account", "3", "--login-max-failures-per-ip", "50")) {
            Account alice = node.signup("alice");
            LoopbackHttp guesser = new LoopbackHttp("127.0.0.2", node.server.port());
            // By username or by email, it is the same account.
            for (String name : new String[]{"alice", "ALICE@example.org", "Alice"}) {
                assertThat(guesser.post("/api/auth/login", login(name, "wrong guess")).status()).isEqualTo(401);
            }
            Response locked = guesser.post("/api/auth/login", login("alice", "wrong guess again"));
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.header("Content-Type")).startsWith("application/problem+json");
            assertThat(Long.parseLong(locked.header("Retry-After"))).isPositive();
            assertThat(locked.json().at("/detail").asText()).contains("this account from your network");
            assertThat(guesser.post("/api/auth/login", login("alice", alice.password())).status())
                    .as("the guessing address stays locked for this account even with the right password").isEqualTo(429);

            Response owner = node.post("/api/auth/login", null, Map.of("login", "alice", "password", alice.password()));
            assertThat(owner.status()).as(owner.body()).isEqualTo(200);
            assertThat(owner.json().at("/token").asText()).isNotBlank();
            assertThat(metric(node, "login_failures_per_ip_account")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void oneAddressGuessingAcrossAccountsIsStoppedWithoutStoppingAnyoneElse() {
        try (TestNode node = new TestNode("--login-max-failures-per-ip", "4")) {
            Account bob = node.signup("bob");
            LoopbackHttp guesser = new LoopbackHttp("127.0.0.3", node.server.port());
            for (int i = 0; i < 4; i++) assertThat(guesser.post("/api/auth/login", login("user" + i, "wrong guess")).status()).isEqualTo(401);
            Response stopped = guesser.post("/api/auth/login", login("someone_else", "wrong guess"));
            assertThat(stopped.status()).isEqualTo(429);
            assertThat(stopped.json().at("/detail").asText()).contains("from your network");
            assertThat(node.post("/api/auth/login", null, Map.of("login", "bob", "password", bob.password())).status()).isEqualTo(200);
        }
    }

    @Test
    void forwardedForIsBelievedFromATrustedProxyOnly() {
        try (TestNode node = new TestNode("--trusted-proxies", "127.0.0.2/32", "--login-max-failures-per-ip", "2")) {
            Account carol = node.signup("carol");
            LoopbackHttp proxy = new LoopbackHttp("127.0.0.2", node.server.port());
            // Behind the proxy each client counts on its own, so one guesser does not lock out the whole site.
            for (int i = 0; i < 2; i++) {
                assertThat(proxy.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "198.51.100.1, 203.0.113.7").status()).isEqualTo(401);
            }
            assertThat(proxy.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(429);
            // The client-written left end of the header changes nothing: the proxy appended 203.0.113.7.
            assertThat(proxy.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "192.0.2.99, 203.0.113.7").status()).isEqualTo(429);
            Response other = proxy.post("/api/auth/login", login("carol", carol.password()), "Forwarded", "for=\"203.0.113.8:4711\"");
            assertThat(other.status()).as(other.body()).isEqualTo(200);

            // A client that is not a trusted proxy cannot pick a fresh address per try.
            LoopbackHttp direct = new LoopbackHttp("127.0.0.3", node.server.port());
            assertThat(direct.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "192.0.2.1").status()).isEqualTo(401);
            assertThat(direct.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "192.0.2.2").status()).isEqualTo(401);
            assertThat(direct.post("/api/auth/login", login("carol", "wrong"), "X-Forwarded-For", "192.0.2.3").status()).isEqualTo(429);
        }
    }

    @Test
    void oversizeCredentialsAreRefusedBeforeAnythingIsHashed() {
        try (TestNode node = new TestNode()) {
            Account dave = node.signup("dave");
            PasswordHashing hashing = node.server.passwordHashing();
            long hashedBefore = hashing.completed();

            // Larger than the socket buffers: sent without Expect, the node's 413 and close could reset the connection
            // while the body is still being written, and the 413 be lost with it (CI saw "header parser received no bytes").
            Response huge = node.send("POST", "/api/auth/login", null, login("x".repeat(900 * 1024), "whatever it is"),
                    "Expect", "100-continue");
            assertThat(huge.status()).isEqualTo(413);
            assertThat(huge.header("Content-Type")).startsWith("application/problem+json");
            assertThat(huge.json().at("/detail").asText()).contains("at most 8192 bytes");

            Response longLogin = node.post("/api/auth/login", null, Map.of("login", "y".repeat(300), "password", "whatever it is"));
            assertThat(longLogin.status()).isEqualTo(400);
            assertThat(longLogin.json().at("/errors/0/field").asText()).isEqualTo("login");
            Response longPassword = node.post("/api/auth/login", null, Map.of("login", "dave", "password", "p".repeat(2000)));
            assertThat(longPassword.status()).isEqualTo(400);
            assertThat(longPassword.json().at("/errors/0/detail").asText()).isEqualTo("must be at most 256 characters long");
            Response longSignup = node.post("/api/auth/signup", null, Map.of("username", "u".repeat(3000), "email", "e@example.org",
                    "password", "q".repeat(3000)));
            assertThat(longSignup.status()).isEqualTo(400);
            assertThat(longSignup.json().at("/errors").findValuesAsText("field")).containsExactly("username", "password");
            Response longCurrent = node.post("/api/auth/password", dave.token(), Map.of("currentPassword", "c".repeat(1000),
                    "newPassword", "a brand new passphrase"));
            assertThat(longCurrent.status()).isEqualTo(400);
            assertThat(longCurrent.json().at("/errors/0/field").asText()).isEqualTo("currentPassword");

            Response longToken = node.get("/api/auth/session", "t".repeat(500));
            assertThat(longToken.status()).isEqualTo(400);
            assertThat(longToken.json().at("/detail").asText()).contains("at most 200");
            Response longKey = node.send("POST", "/api/whip", null, "v=0\r\n", "Content-Type", "application/sdp",
                    "Authorization", "Bearer " + "k".repeat(500));
            assertThat(longKey.status()).isEqualTo(400);
            assertThat(longKey.header("Content-Type")).startsWith("application/problem+json");

            assertThat(hashing.completed()).as("no password was hashed or checked for any of these").isEqualTo(hashedBefore);
            assertThat(metric(node, "credential_too_long")).isGreaterThanOrEqualTo(6);
            // And an ordinary login still works.
            assertThat(node.post("/api/auth/login", null, Map.of("login", "dave", "password", dave.password())).status()).isEqualTo(200);
        }
    }

    private static String login(String login, String password) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of("login", login, "password", password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double metric(TestNode node, String reason) {
        Matcher m = Pattern.compile("cascade_refusals_total\\{reason=\"" + reason + "\"} (\\S+)").matcher(node.get("/metrics", null).body());
        assertThat(m.find()).as("cascade_refusals_total{reason=%s}", reason).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
