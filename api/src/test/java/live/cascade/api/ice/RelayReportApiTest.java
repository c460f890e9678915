package live.cascade.api.ice;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import live.cascade.api.TestNode;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/ice-servers/relay} against a real node and a real WHIP session. The node names
 * {@code turn:127.0.0.1} as its TURN server, so the packet-level publisher on loopback is, to the node, a session
 * relayed from 127.0.0.1:its port, exactly what a browser's relay candidate looks like; no coturn is needed to test
 * what the node believes (TurnTlsBrowserTest does it through coturn). Each test speaks from an address of its own (the
 * node trusts 127.0.0.1 as a proxy), so the per-address limit of one test never touches another.
 */
class RelayReportApiTest {
    static TestNode node;
    static String streamKey;

    @BeforeAll
    static void start() {
        node = new TestNode("--trusted-proxies", "127.0.0.1/32", "--recordings", "false",
                "--turn-urls", "turn:127.0.0.1:3478?transport=udp", "--turn-secret", "relay-report-api-test-secret");
        node.signup("relay_admin");
        TestNode.Account owner = node.signup("relay_owner");
        TestNode.Response ch = node.post("/api/channels", owner.token(), map("slug", "relayed", "title", "relayed", "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        streamKey = ch.json().at("/streamKey").asText();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static TestNode.Response report(String from, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Content-Type";
        all[1] = "text/plain;charset=UTF-8";
        all[2] = "X-Forwarded-For";
        all[3] = from;
        System.arraycopy(headers, 0, all, 4, headers.length);
        return node.send("POST", "/api/ice-servers/relay", null, body, all);
    }

    static String claim(String session, String address, int port, String protocol) {
        return "{\"session\":\"" + session + "\",\"address\":\"" + address + "\",\"port\":" + port + ",\"protocol\":\"" + protocol + "\"}";
    }

    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(node.get("/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static void awaitMetric(String series, double value) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        double last = metric(series);
        while (last != value) {
            if (System.nanoTime() > deadline) throw new AssertionError(series + " is " + last + ", not " + value);
            Thread.sleep(200);
            last = metric(series);
        }
    }

    @Test
    void aRelayedPublisherCountsByTheTransportItReportsForItsOwnSessionOnly() throws Exception {
        try (PacketPublisher publisher = PacketPublisher.connect(URI.create(node.url("/api/whip")), streamKey, ClientOptions.defaults())) {
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread media = Thread.ofPlatform().daemon().start(() -> {
                for (long frame = 0; sending.get(); frame++) {
                    publisher.send(publisher.video().h264(frame * 3600, frame % 50 == 0));
                    try {
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                String path = publisher.session().getPath();
                String session = path.substring(path.lastIndexOf('/') + 1);
                int port = publisher.localAddress().getPort();
                awaitMetric("cascade_media_sessions_by_path{path=\"turn\"}", 1.0);

                TestNode.Response wrongPort = report("198.51.100.20", claim(session, "127.0.0.1", port == 65535 ? 1 : port + 1, "tls"));
                assertThat(wrongPort.status()).as(wrongPort.body()).isEqualTo(409);
                assertThat(wrongPort.json().at("/detail").asText()).contains(session).contains("getStats()");

                // Another session's id with this session's address: kept for that id, believed for neither.
                TestNode.Response otherSession = report("198.51.100.20", claim("AAAAAAAAAAAAAAAAAAAAAA", "127.0.0.1", port, "tls"));
                assertThat(otherSession.status()).as(otherSession.body()).isEqualTo(202);
                assertThat(otherSession.json().at("/detail").asText()).contains("kept for 60 s");
                Thread.sleep(1100); // past the gauge's one-second cache
                assertThat(metric("cascade_media_sessions_by_path{path=\"turn-tls\"}")).isEqualTo(0.0);

                TestNode.Response own = report("198.51.100.20", claim(session, "127.0.0.1", port, "tls"));
                assertThat(own.status()).as(own.body()).isEqualTo(204);
                assertThat(own.header("Access-Control-Allow-Origin")).isEqualTo("*");
                awaitMetric("cascade_media_sessions_by_path{path=\"turn-tls\"}", 1.0);
                assertThat(metric("cascade_media_sessions_by_path{path=\"turn\"}")).isEqualTo(0.0);
                assertThat(metric("cascade_ice_relay_reports_total{outcome=\"applied\"}")).isEqualTo(1.0);
                assertThat(metric("cascade_ice_relay_reports_total{outcome=\"other-address\"}")).isEqualTo(1.0);
            } finally {
                sending.set(false);
                media.join(2000);
            }
        }
    }

    @Test
    void badReportsGetProblemDocumentsThatSayWhatToSend() {
        TestNode.Response empty = report("198.51.100.21", "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.header("Content-Type")).startsWith("application/problem+json");
        assertThat(empty.json().at("/errors").findValuesAsText("field")).containsExactlyInAnyOrder("session", "address", "port", "protocol");
        assertThat(empty.body()).contains("the last segment of the Location");

        TestNode.Response name = report("198.51.100.21", claim("abc", "turn.example.org", 49152, "quic"));
        assertThat(name.status()).isEqualTo(400);
        assertThat(name.json().at("/errors").findValuesAsText("field")).containsExactlyInAnyOrder("address", "protocol");
        assertThat(name.body()).contains("a literal, never a name").contains("must be udp, tcp or tls");

        TestNode.Response notRelay = report("198.51.100.21", claim("abc", "192.0.2.9", 49152, "tls"));
        assertThat(notRelay.status()).isEqualTo(400);
        assertThat(notRelay.json().at("/detail").asText()).startsWith("address: is not an address of this node's TURN server");

        TestNode.Response badSession = report("198.51.100.21", claim("../whip", "127.0.0.1", 49152, "tls"));
        assertThat(badSession.status()).isEqualTo(400);
        assertThat(badSession.json().at("/errors/0/field").asText()).isEqualTo("session");

        TestNode.Response notJson = report("198.51.100.21", "session=abc");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/detail").asText()).startsWith("The report is not valid JSON");

        TestNode.Response wrongType = report("198.51.100.21", "{\"session\":\"abc\",\"port\":\"many\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().at("/errors/0/field").asText()).isEqualTo("port");

        TestNode.Response form = node.send("POST", "/api/ice-servers/relay", null, claim("abc", "127.0.0.1", 49152, "tls"),
                "Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "198.51.100.21");
        assertThat(form.status()).isEqualTo(415);

        TestNode.Response large = report("198.51.100.21", "{\"session\":\"abc\",\"pad\":\"" + "x".repeat(1100) + "\"}");
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.json().at("/detail").asText()).contains("at most 1024 bytes");
    }

    @Test
    void oneAddressPastTwentyReportsAMinuteGets429WithRetryAfter() {
        for (int i = 0; i < RelayReportResource.PER_MINUTE; i++) {
            assertThat(report("198.51.100.22", claim("s" + i, "127.0.0.1", 49152, "udp")).status()).isEqualTo(202);
        }
        TestNode.Response limited = report("198.51.100.22", claim("s-last", "127.0.0.1", 49152, "udp"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.json().at("/detail").asText()).contains("one per session");
        assertThat(report("198.51.100.23", claim("s-other", "127.0.0.1", 49152, "udp")).status()).as("another address").isEqualTo(202);
    }

    /**
     * The studio's page sends the report with its login cookie if it sends one at all: the cookie CSRF check must not
     * refuse it (it authenticates nobody), from this site or, after a redirect to another node, from another.
     */
    @Test
    void aLoginCookieFromAnotherSiteDoesNotGetTheReportRefused() {
        TestNode.Account someone = node.signup("relay_cookie");
        TestNode.Response r = report("198.51.100.24", claim("cookie-session", "127.0.0.1", 49152, "tls"),
                "Cookie", "cascade_session=" + someone.token(), "Origin", "https://elsewhere.example");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode body = r.json();
        assertThat(body.at("/detail").asText()).contains("cookie-session");
        assertThat(List.of(r.header("Access-Control-Allow-Origin"))).containsExactly("*");
    }
}
