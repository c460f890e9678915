package live.cascade.api.whip;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import live.cascade.api.TestNode;
import live.cascade.api.http.Json;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WHIP admission hook against a real node and a hook server in this test: the hook is asked with the channel and
 * the source before anything is negotiated; its 2xx admits (a real publish goes live), its 403 refuses with its own
 * detail, its 429 with its Retry-After, a hook that does not answer within the timeout refuses with 503 when failures
 * close (the default) and admits when they open.
 */
class AdmissionHookTest {
    static HttpServer hook;
    static final AtomicReference<String> answer = new AtomicReference<>("admit");
    static final List<JsonNode> asked = new CopyOnWriteArrayList<>();
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hook.createContext("/admit", ex -> {
            asked.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
            String mode = answer.get();
            byte[] body = switch (mode) {
                case "refuse" -> "{\"title\":\"Forbidden\",\"detail\":\"Channel not paid up: renew at billing.example.org\"}".getBytes(StandardCharsets.UTF_8);
                case "busy" -> "{\"detail\":\"Too many studios live on your plan\"}".getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
            try {
                if (mode.equals("hang")) Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseHeaders().set("Content-Type", "application/problem+json");
            if (mode.equals("busy")) ex.getResponseHeaders().set("Retry-After", "120");
            int status = switch (mode) { case "refuse" -> 403; case "busy" -> 429; case "hang" -> 200; default -> 204; };
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
            ex.close();
        });
        hook.start();
        node = new TestNode("--whip-admission-url", hookUrl(), "--whip-admission-timeout", "500ms", "--recordings", "false");
        node.signup("hook_admin");
    }

    static String hookUrl() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/admit";
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        hook.stop(0);
    }

    static String streamKey(TestNode n, String slug) {
        TestNode.Account owner = n.signup(slug.replace('-', '_') + "_owner");
        TestNode.Response ch = n.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        return ch.json().at("/streamKey").asText();
    }

    static TestNode.Response offer(TestNode n, String key) {
        return n.send("POST", "/api/whip", null, "v=0\r\n", "Content-Type", "application/sdp", "Authorization", "Bearer " + key);
    }

    static double metric(TestNode n, String series) {
        return n.get("/metrics", null).body().lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    void theHooksAnswerDecidesAndItsDetailReachesThePublisher() throws Exception {
        String key = streamKey(node, "hooked-studio");
        answer.set("refuse");
        TestNode.Response refused = offer(node, key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).isEqualTo("Channel not paid up: renew at billing.example.org");
        JsonNode question = asked.getLast();
        assertThat(question.at("/channel").asText()).isEqualTo("hooked-studio");
        assertThat(question.at("/source").asText()).isEqualTo("whip");
        assertThat(question.at("/clientAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(question.at("/channelId").asLong()).isPositive();

        answer.set("busy");
        TestNode.Response busy = offer(node, key);
        assertThat(busy.status()).isEqualTo(429);
        assertThat(busy.header("Retry-After")).isEqualTo("120");
        assertThat(busy.json().at("/detail").asText()).contains("Too many studios");

        answer.set("admit");
        int before = asked.size();
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false))) {
            pub.send(pub.video().h264(0, true));
            assertThat(asked.size()).as("the admitted publish asked the hook").isEqualTo(before + 1);
        }
        assertThat(metric(node, "cascade_whip_admission_hook_total{outcome=\"refused\"}")).isEqualTo(2);
        assertThat(metric(node, "cascade_whip_admission_hook_total{outcome=\"admitted\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aHookThatDoesNotAnswerInTimeRefusesWhenClosedAndAdmitsWhenOpen() {
        String key = streamKey(node, "slow-hook");
        answer.set("hang");
        try {
            TestNode.Response closed = offer(node, key);
            assertThat(closed.status()).isEqualTo(503);
            assertThat(closed.header("Retry-After")).isNotNull();
            assertThat(closed.json().at("/detail").asText()).contains("admission check is unavailable");
            assertThat(metric(node, "cascade_whip_admission_hook_total{outcome=\"failed_closed\"}")).isGreaterThanOrEqualTo(1);

            try (TestNode open = new TestNode("--whip-admission-url", "http://127.0.0.1:1/nothing-listens-here",
                    "--whip-admission-failure", "open", "--recordings", "false")) {
                open.signup("open_admin");
                String openKey = streamKey(open, "open-hook");
                TestNode.Response admitted = offer(open, openKey);
                assertThat(admitted.status()).as("past the hook: the offer itself is judged (it is no SDP)").isNotIn(403, 429, 503);
                assertThat(metric(open, "cascade_whip_admission_hook_total{outcome=\"failed_open\"}")).isEqualTo(1);
            }
        } finally {
            answer.set("admit");
        }
    }
}
