package live.cascade.api.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel's webhook against a real node and a receiver in this test: stream.started and stream.ended arrive signed
 * (HMAC-SHA256 over the timestamp and body, checked here with the secret the node showed once), a delivery the
 * receiver refuses is retried, and the delivery log says what happened.
 */
class WebhooksTest {
    static final ObjectMapper JSON = new ObjectMapper();
    record Received(String event, String delivery, String signature, String body, long at) {}

    static TestNode node;
    static Account owner;
    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger refuseFirst = new AtomicInteger(1);

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode("--recordings", "false", "--publisher-grace", "1s");
        node.signup("hooks_admin");
        owner = node.signup("hooks_owner");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(ex.getRequestHeaders().getFirst("Cascade-Event"), ex.getRequestHeaders().getFirst("Cascade-Delivery"),
                    ex.getRequestHeaders().getFirst("Cascade-Signature"), body, Instant.now().getEpochSecond()));
            // The first delivery is refused, so the node has to retry it.
            String event = ex.getRequestHeaders().getFirst("Cascade-Event");
            int status = "stream.started".equals(event) && refuseFirst.getAndDecrement() > 0 ? 500 : 204;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        node.close();
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what + "; received: " + received);
            Thread.sleep(100);
        }
    }

    /** What a receiver does: recompute the HMAC over "t.body" with the secret, and refuse stale timestamps. */
    static boolean verifies(Received r, String secret) {
        String t = null, v1 = null;
        for (String part : r.signature().split(",")) {
            if (part.startsWith("t=")) t = part.substring(2);
            if (part.startsWith("v1=")) v1 = part.substring(3);
        }
        if (t == null || v1 == null || Math.abs(r.at() - Long.parseLong(t)) > 300) return false;
        return java.security.MessageDigest.isEqual(WebhookSignature.hmac(secret, t + "." + r.body()).getBytes(StandardCharsets.UTF_8),
                v1.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void streamEventsArriveSignedARefusedOneIsRetriedAndTheLogSaysSo() throws Exception {
        TestNode.Response ch = node.post("/api/channels", owner.token(), map("slug", "hooked", "title", "t", "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        TestNode.Response hook = node.post("/api/webhooks", owner.token(),
                map("url", url, "events", List.of("stream.started", "stream.ended"), "channel", "hooked"));
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        String secret = hook.json().at("/secret").asText();
        long id = hook.json().at("/id").asLong();
        assertThat(secret).startsWith("whsec_");
        assertThat(node.get("/api/webhooks", owner.token()).body()).contains(url).doesNotContain(secret);

        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), ch.json().at("/streamKey").asText(),
                ClientOptions.defaults().withAudio(false))) {
            pub.send(pub.video().h264(0, true));
            await("stream.started is delivered after a refusal", () ->
                    received.stream().filter(r -> "stream.started".equals(r.event())).count() >= 2);
        }
        await("stream.ended is delivered", () -> received.stream().anyMatch(r -> "stream.ended".equals(r.event())));

        for (Received r : received.stream().filter(r -> r.event().startsWith("stream.")).toList()) {
            assertThat(verifies(r, secret)).as("signature of " + r).isTrue();
            assertThat(verifies(r, secret + "x")).isFalse();
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.at("/type").asText()).isEqualTo(r.event());
            assertThat(body.at("/data/channel").asText()).isEqualTo("hooked");
        }
        List<Received> started = received.stream().filter(r -> "stream.started".equals(r.event())).toList();
        assertThat(started.get(0).delivery()).as("the retry is the same delivery").isEqualTo(started.get(1).delivery());
        assertThat(started.get(0).body()).isEqualTo(started.get(1).body());

        JsonNode log = node.get("/api/webhooks/" + id + "/deliveries", owner.token()).json().at("/deliveries");
        assertThat(log).hasSize(2);
        JsonNode endedLog = log.get(0);
        JsonNode startedLog = log.get(1);
        assertThat(startedLog.at("/event").asText()).isEqualTo("stream.started");
        assertThat(startedLog.at("/status").asText()).isEqualTo("delivered");
        assertThat(startedLog.at("/attempts").asInt()).isEqualTo(2);
        assertThat(startedLog.at("/lastStatus").asInt()).isEqualTo(204);
        assertThat(endedLog.at("/event").asText()).isEqualTo("stream.ended");
        assertThat(endedLog.at("/status").asText()).isEqualTo("delivered");

        // Sent again on request: a new delivery (its own id) with the same event and body, and the log shows it.
        Account other = node.signup("hooks_redeliver_other");
        String redeliver = "/api/webhooks/" + id + "/deliveries/" + endedLog.at("/id").asLong() + "/redeliver";
        assertThat(node.post(redeliver, other.token(), "{}").status()).as("another account's webhook").isEqualTo(404);
        assertThat(node.post("/api/webhooks/" + id + "/deliveries/999999/redeliver", owner.token(), "{}").status()).isEqualTo(404);
        TestNode.Response again = node.post(redeliver, owner.token(), "{}");
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        long againId = again.json().at("/id").asLong();
        assertThat(again.json().at("/status").asText()).isEqualTo("pending");
        await("the redelivery arrives", () -> received.stream().anyMatch(r -> Long.toString(againId).equals(r.delivery())));
        Received redelivered = received.stream().filter(r -> Long.toString(againId).equals(r.delivery())).findFirst().orElseThrow();
        Received ended = received.stream().filter(r -> "stream.ended".equals(r.event())).findFirst().orElseThrow();
        assertThat(redelivered.event()).isEqualTo("stream.ended");
        assertThat(redelivered.body()).isEqualTo(ended.body());
        assertThat(verifies(redelivered, secret)).isTrue();
        await("the log shows the redelivery delivered", () -> {
            JsonNode l = node.get("/api/webhooks/" + id + "/deliveries", owner.token()).json().at("/deliveries");
            return l.size() == 3 && l.get(0).at("/id").asLong() == againId && "delivered".equals(l.get(0).at("/status").asText());
        });
    }

    @Test
    void aFiledReportReachesTheChannelsReportWebhook() throws Exception {
        TestNode.Response ch = node.post("/api/channels", owner.token(), map("slug", "reported", "title", "t", "category", "Test"));
        assertThat(ch.status()).as(ch.body()).isEqualTo(201);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        TestNode.Response hook = node.post("/api/webhooks", owner.token(), map("url", url, "events", List.of("report.created"), "channel", "reported"));
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        Account viewer = node.signup("hooks_viewer");
        Account troll = node.signup("hooks_troll");
        TestNode.Response filed = node.post("/api/channels/reported/reports", viewer.token(), map("userId", troll.id(), "reason", "spam links"));
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        await("report.created is delivered", () -> received.stream().anyMatch(r -> "report.created".equals(r.event())));
        Received r = received.stream().filter(x -> "report.created".equals(x.event())).findFirst().orElseThrow();
        assertThat(verifies(r, hook.json().at("/secret").asText())).isTrue();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/data/reportId").asLong()).isEqualTo(filed.json().at("/id").asLong());
        assertThat(body.at("/data/reason").asText()).isEqualTo("spam links");
    }

    @Test
    void onlyAnAdministratorSubscribesToEveryChannelAndBadInputSaysWhatToSend() {
        TestNode.Response nodeWide = node.post("/api/webhooks", owner.token(), map("url", "https://example.org/h", "events", List.of("stream.started")));
        assertThat(nodeWide.status()).isEqualTo(403);
        assertThat(nodeWide.json().at("/detail").asText()).contains("administrators");
        TestNode.Response bad = node.post("/api/webhooks", owner.token(), map("url", "ftp://x", "events", List.of("stream.exploded")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("http:// or https://", "'stream.exploded' is not an event");
        Account other = node.signup("hooks_other");
        TestNode.Response foreign = node.post("/api/webhooks", other.token(),
                map("url", "https://example.org/h", "events", List.of("stream.started"), "channel", "hooked"));
        assertThat(foreign.status()).isIn(403, 404);
        assertThat(node.get("/api/webhooks/1/deliveries", other.token()).status()).isEqualTo(404);
    }
}
