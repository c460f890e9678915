package live.cascade.api.auth;

import live.cascade.api.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node behind a TLS-terminating reverse proxy sees plain HTTP, yet its browsers are on https: the session cookie
 * must carry {@code Secure} when a trusted proxy ({@code --trusted-proxies}) says so with {@code X-Forwarded-Proto} or
 * {@code Forwarded}, and only then (anyone can send those headers to a node that trusts no proxy).
 */
class SecureCookieBehindProxyTest {
    static String sessionCookie(TestNode.Response r) {
        List<String> cookies = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(Authenticator.COOKIE + "=")).toList();
        assertThat(cookies).as("the session cookie of %s", r.body()).hasSize(1);
        return cookies.getFirst();
    }

    static TestNode.Response signup(TestNode node, String name, String... headers) {
        TestNode.Response r = node.send("POST", "/api/auth/signup", null, Map.of("username", name,
                "email", name + "@example.org", "password", "correct horse battery staple 42"), headers);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r;
    }

    @Test
    void aTrustedProxySayingHttpsMakesTheSessionCookieSecure() {
        // The test's requests come from 127.0.0.1, the "proxy" here.
        try (TestNode node = new TestNode("--trusted-proxies", "127.0.0.1/32")) {
            assertThat(sessionCookie(signup(node, "proxied_https", "X-Forwarded-Proto", "https"))).containsIgnoringCase("; Secure");
            assertThat(sessionCookie(signup(node, "proxied_forwarded", "Forwarded", "for=192.0.2.7;proto=https")))
                    .containsIgnoringCase("; Secure");
            assertThat(sessionCookie(signup(node, "proxied_http", "X-Forwarded-Proto", "http"))).doesNotContainIgnoringCase("Secure");
            assertThat(sessionCookie(signup(node, "direct_http"))).doesNotContainIgnoringCase("Secure");
        }
    }

    @Test
    void theHeaderFromAnUntrustedPeerChangesNothing() {
        try (TestNode node = new TestNode()) {
            assertThat(sessionCookie(signup(node, "claims_https", "X-Forwarded-Proto", "https"))).doesNotContainIgnoringCase("Secure");
        }
    }
}
