package live.cascade.api.qoe;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/qoe} as a player and a forger see it: a sendBeacon-style (text/plain) beacon is taken and moves the
 * node's series and the channel's analytics; bad fields, bodies, types and channels get problem documents naming what
 * to fix; one address past its beacons per minute gets 429. Each test speaks from an address of its own (the node
 * trusts 127.0.0.1 as a proxy), so the per-address limit of one test never touches another.
 */
class QoeApiTest {
    static TestNode node;
    static Account owner;
    static Account stranger;

    @BeforeAll
    static void start() {
        node = new TestNode("--trusted-proxies", "127.0.0.1/32", "--qoe-beacons-per-ip", "5", "--recordings", "false");
        node.signup("qoe_admin");
        owner = node.signup("qoe_owner");
        stranger = node.signup("qoe_stranger");
        for (String slug : List.of("qoe-one", "qoe-two")) {
            assertThat(node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test")).status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static TestNode.Response beacon(String from, String body, String contentType) {
        return node.send("POST", "/api/qoe", null, body, "Content-Type", contentType, "X-Forwarded-For", from);
    }

    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(node.get("/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void aBeaconAsSendBeaconSendsItLandsInTheSeriesAndTheChannelsAnalytics() {
        double startupsBefore = metric("cascade_qoe_startup_seconds_count{protocol=\"webrtc\"}");
        double rebufferBefore = metric("cascade_qoe_rebuffer_seconds_total{protocol=\"webrtc\"}");
        TestNode.Response first = beacon("198.51.100.1", """
                {"channel":"qoe-one","protocol":"webrtc","path":"udp","startupMs":420,"watchMs":0,"futureField":{"x":1}}""",
                "text/plain;charset=UTF-8");
        assertThat(first.status()).as(first.body()).isEqualTo(204);
        TestNode.Response second = beacon("198.51.100.1", """
                {"channel":"qoe-one","protocol":"webrtc","path":"udp","watchMs":30000,"rebuffers":2,"rebufferMs":1500,
                 "framesDecoded":890,"framesDropped":10,"bitrateKbps":1800,"layerSwitches":1,"errors":["stalled"]}""",
                "application/json");
        assertThat(second.status()).as(second.body()).isEqualTo(204);
        assertThat(beacon("198.51.100.1", """
                {"channel":"qoe-one","protocol":"hls","startupMs":2600,"watchMs":0}""", "text/plain").status()).isEqualTo(204);

        assertThat(metric("cascade_qoe_startup_seconds_count{protocol=\"webrtc\"}")).isEqualTo(startupsBefore + 1);
        assertThat(metric("cascade_qoe_rebuffer_seconds_total{protocol=\"webrtc\"}")).isEqualTo(rebufferBefore + 1.5);
        assertThat(metric("cascade_qoe_startup_seconds_bucket{protocol=\"webrtc\",le=\"0.5\"}"))
                .as(node.get("/metrics", null).body().lines().filter(l -> l.startsWith("cascade_qoe_startup")).toList().toString())
                .isGreaterThanOrEqualTo(1);
        assertThat(metric("cascade_qoe_errors_total{error=\"stalled\"}")).isGreaterThanOrEqualTo(1);
        assertThat(node.get("/metrics", null).body()).as("no per-viewer or per-channel label on the node-wide series")
                .doesNotContain("198.51.100.1").doesNotContainPattern("cascade_qoe_beacons_total\\{[^}]*channel=");

        TestNode.Response a = node.get("/api/analytics/channels/qoe-one/qoe", owner.token());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode q = a.json().at("/qoe");
        assertThat(q.at("/beacons").asLong()).isEqualTo(3);
        assertThat(q.at("/startup/count").asInt()).isEqualTo(2);
        assertThat(q.at("/startup/p50Ms").asInt()).isEqualTo(420);
        assertThat(q.at("/startup/p95Ms").asInt()).isEqualTo(2600);
        assertThat(q.at("/startupByProtocol/webrtc/p50Ms").asInt()).isEqualTo(420);
        assertThat(q.at("/plays/hls").asLong()).isEqualTo(1);
        assertThat(q.at("/playsByPath/udp").asLong()).isEqualTo(1);
        assertThat(q.at("/rebuffers").asLong()).isEqualTo(2);
        assertThat(q.at("/rebufferRatio").asDouble()).isEqualTo(0.05);
        assertThat(q.at("/droppedFrameRatio").asDouble()).as("dropped of all frames").isEqualTo(10.0 / 900);
        assertThat(q.at("/bitrateKbps").asInt()).isEqualTo(1800);
        assertThat(q.at("/errors/stalled").asLong()).isEqualTo(1);

        assertThat(node.get("/api/analytics/channels/qoe-two/qoe", owner.token()).json().at("/qoe").isNull())
                .as("a channel nobody reported on").isTrue();
        assertThat(node.get("/api/analytics/channels/qoe-one/qoe", stranger.token()).status()).isEqualTo(403);
        assertThat(node.get("/api/analytics/channels/qoe-one/qoe?minutes=99", owner.token()).status()).isEqualTo(400);
    }

    @Test
    void badFieldsAreNamedInAProblemDocumentAndNothingIsCounted() {
        double before = metric("cascade_qoe_beacons_total{protocol=\"webrtc\"}");
        TestNode.Response r = beacon("198.51.100.2", """
                {"channel":"qoe-two","protocol":"webrtc","path":"carrier-pigeon","startupMs":-5,"watchMs":1000,
                 "rebufferMs":5000,"errors":["exploded"],"relay":{"address":"turn.example.org","port":3478,"protocol":"tls"}}""",
                "text/plain");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().at("/errors").findValuesAsText("field"))
                .contains("path", "startupMs", "rebufferMs", "errors", "relay");
        assertThat(r.body()).contains("udp, tcp, turn-udp, turn-tcp, turn-tls").contains("'exploded' is not an error code");

        TestNode.Response badSession = beacon("198.51.100.2", """
                {"channel":"qoe-two","protocol":"webrtc","path":"turn-tls","watchMs":1000,
                 "relay":{"address":"192.0.2.7","port":49152,"protocol":"tls","session":"../../whip"}}""", "text/plain");
        assertThat(badSession.status()).isEqualTo(400);
        assertThat(badSession.json().at("/errors").findValuesAsText("field")).containsExactly("relay.session");

        TestNode.Response wrongType = beacon("198.51.100.2", "{\"channel\":\"qoe-two\",\"protocol\":\"webrtc\",\"watchMs\":\"long\"}", "text/plain");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().at("/detail").asText()).contains("watchMs");
        assertThat(beacon("198.51.100.2", "not json", "text/plain").status()).isEqualTo(400);
        assertThat(metric("cascade_qoe_beacons_total{protocol=\"webrtc\"}")).isEqualTo(before);
        assertThat(metric("cascade_qoe_beacons_refused_total{reason=\"invalid\"}")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void tooLargeWrongTypeAndUnknownChannelAreRefusedWithTheirOwnStatus() {
        String big = "{\"channel\":\"qoe-two\",\"protocol\":\"hls\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        TestNode.Response large = beacon("198.51.100.3", big, "text/plain");
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.json().at("/detail").asText()).contains("4096");
        TestNode.Response form = beacon("198.51.100.3", "channel=qoe-two", "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        TestNode.Response unknown = beacon("198.51.100.3", "{\"channel\":\"no-such\",\"protocol\":\"hls\",\"watchMs\":10}", "text/plain");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/detail").asText()).contains("no-such");
    }

    @Test
    void oneAddressPastItsBeaconsPerMinuteGets429AndAnotherStillReports() {
        String body = "{\"channel\":\"qoe-two\",\"protocol\":\"hls\",\"watchMs\":1000}";
        for (int i = 0; i < 5; i++) assertThat(beacon("198.51.100.4", body, "text/plain").status()).isEqualTo(204);
        TestNode.Response refused = beacon("198.51.100.4", body, "text/plain");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(refused.json().at("/detail").asText()).contains("5 QoE beacons");
        assertThat(beacon("198.51.100.5", body, "text/plain").status()).isEqualTo(204);
        assertThat(metric("cascade_qoe_beacons_refused_total{reason=\"rate_limited\"}")).isGreaterThanOrEqualTo(1);
    }
}
