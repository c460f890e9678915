package live.cascade.api.auth;

import live.cascade.api.LoopbackHttp;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Response;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signup limits against a real node, with clients on other loopback addresses: one address past its limit gets 429
 * with Retry-After while others still sign up, until the node-wide limit stops everyone.
 */
class SignupLimitsTest {
    @Test
    void oneAddressPastItsSignupLimitGets429WhileOthersSignUpUntilTheNodeWideLimit() {
        try (TestNode node = new TestNode("--signups-per-ip", "3", "--signups-total", "5", "--signup-window", "1h")) {
            LoopbackHttp farm = new LoopbackHttp("127.0.0.2", node.server.port());
            for (int i = 0; i < 3; i++) {
                Response r = farm.post("/api/auth/signup", signup("farm" + i));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
            Response refused = farm.post("/api/auth/signup", signup("farm3"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, 3600L);
            assertThat(refused.json().at("/detail").asText()).contains("from your network").contains("try again in");
            assertThat(farm.post("/api/auth/login", login("farm3")).status()).as("the refused account was not created").isEqualTo(401);

            Response other = new LoopbackHttp("127.0.0.3", node.server.port()).post("/api/auth/signup", signup("neighbour"));
            assertThat(other.status()).as("another address still signs up: " + other.body()).isEqualTo(201);
            Response fifth = new LoopbackHttp("127.0.0.4", node.server.port()).post("/api/auth/signup", signup("fifth"));
            assertThat(fifth.status()).as(fifth.body()).isEqualTo(201);

            Response full = new LoopbackHttp("127.0.0.5", node.server.port()).post("/api/auth/signup", signup("sixth"));
            assertThat(full.status()).as("past the node-wide 5 per hour: " + full.body()).isEqualTo(429);
            assertThat(full.header("Retry-After")).isNotNull();
            assertThat(full.json().at("/detail").asText()).contains("no more new accounts");

            String metrics = node.get("/metrics", null).body();
            assertThat(metrics).containsPattern("cascade_refusals_total\\{reason=\"signups_per_ip\"\\} [1-9]");
            assertThat(metrics).containsPattern("cascade_refusals_total\\{reason=\"signups_total\"\\} [1-9]");
        }
    }

    private static String signup(String username) {
        return json(Map.of("username", username, "email", username + "@example.org", "password", "correct horse battery staple"));
    }

    private static String login(String username) {
        return json(Map.of("login", username, "password", "correct horse battery staple"));
    }

    private static String json(Map<String, String> m) {
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
