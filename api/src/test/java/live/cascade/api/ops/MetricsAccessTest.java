package live.cascade.api.ops;

import live.cascade.api.TestNode;
import live.cascade.api.config.ConfigException;
import live.cascade.api.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --metrics-token} and {@code --metrics-allow} close {@code /metrics}, and only it. One node behind a trusted
 * proxy (this host), so each request says which client it comes from through X-Forwarded-For.
 */
class MetricsAccessTest {
    static final String TOKEN = "0123456789abcdef0123";
    static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode("--metrics-token", TOKEN, "--metrics-allow", "10.0.0.0/8, 2001:db8::/32", "--trusted-proxies", "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static TestNode.Response scrape(String from, String token) {
        return node.send("GET", "/metrics", token, null, "X-Forwarded-For", from);
    }

    @Test
    void anAllowedClientNeedsTheTokenToo() {
        TestNode.Response none = scrape("10.1.2.3", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).contains("application/problem+json");
        assertThat(none.json().at("/detail").asText()).contains("--metrics-token", "Authorization: Bearer");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        TestNode.Response wrong = scrape("10.1.2.3", TOKEN + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().at("/detail").asText()).contains("not this node's --metrics-token");

        TestNode.Response right = scrape("10.1.2.3", TOKEN);
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).contains("cascade_media_sessions{kind=\"viewer\"}");
        assertThat(scrape("2001:db8::7", TOKEN).status()).isEqualTo(200);
    }

    @Test
    void aClientOutsideTheAllowedNetworksIsRefusedEvenWithTheToken() {
        TestNode.Response refused = scrape("203.0.113.9", TOKEN);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).contains("203.0.113.9", "--metrics-allow");
    }

    @Test
    void theProbesStayOpen() {
        // Load balancers and watchdogs carry no token.
        assertThat(node.send("GET", "/livez", null, null, "X-Forwarded-For", "203.0.113.9").status()).isEqualTo(200);
        assertThat(node.send("GET", "/readyz", null, null, "X-Forwarded-For", "203.0.113.9").status()).isEqualTo(200);
    }

    @Test
    void aShortTokenOrABadNetworkIsRefusedAtStartAndTheTokenIsNeverPrinted() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--metrics-token", "short"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--metrics-token").hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--metrics-allow", "10.0.0.0/99"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--metrics-allow");
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_METRICS_TOKEN", TOKEN)).metricsAccess().toString())
                .doesNotContain(TOKEN);
    }
}
