package live.cascade.api.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import live.cascade.api.TestNode;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.MediaNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recording.ready} and {@code clip.ready} from a real broadcast: FFmpeg publishes for a few seconds, the owner
 * stops it, the recording's row is written and its webhook arrives signed with the recording's id; cutting a clip from
 * it raises {@code clip.ready} with the clip's and the source's ids.
 */
@Tag("integration")
@Timeout(120)
class WebhookRecordingEventsTest {
    record Received(String event, String signature, String body, long at) {}

    @Test
    void aFinishedRecordingAndACutClipEachRaiseTheirEvent() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("Cascade-Event"), ex.getRequestHeaders().getFirst("Cascade-Signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), System.currentTimeMillis() / 1000));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try (MediaNode media = MediaNode.start("--publisher-grace", "1s")) {
            MediaNode.Channel ch = media.createChannel("recready");
            TestNode node = media.node;
            TestNode.Response hook = node.post("/api/webhooks", ch.ownerToken(), map("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "events", List.of("recording.ready", "clip.ready"), "channel", ch.slug()));
            assertThat(hook.status()).as(hook.body()).isEqualTo(201);
            String secret = hook.json().at("/secret").asText();

            try (FfmpegPublisher ff = FfmpegPublisher.start(ch.whipUrl(), ch.streamKey(), 60)) {
                await("the channel is live", () -> node.get("/api/channels/" + ch.slug(), null).json().at("/live").asBoolean(), received);
                Thread.sleep(5000); // a recording of a few seconds, enough to cut a clip from
                assertThat(node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
            }
            await("recording.ready arrives", () -> received.stream().anyMatch(r -> "recording.ready".equals(r.event())), received);
            Received ready = received.stream().filter(r -> "recording.ready".equals(r.event())).findFirst().orElseThrow();
            assertThat(verifies(ready, secret)).as("signed with the webhook's secret").isTrue();
            JsonNode data = new ObjectMapper().readTree(ready.body()).at("/data");
            long recordingId = data.at("/recordingId").asLong();
            JsonNode rec = node.get("/api/recordings/" + recordingId, ch.ownerToken()).json();
            assertThat(rec.at("/id").asLong()).as("the event names the recording the API has").isEqualTo(recordingId);
            assertThat(data.at("/channel").asText()).isEqualTo(ch.slug());
            assertThat(data.at("/status").asText()).isEqualTo("ready");
            assertThat(data.at("/durationSeconds").asDouble()).isGreaterThan(2);
            assertThat(data.at("/url").asText()).isEqualTo("/api/recordings/" + recordingId);

            TestNode.Response clip = node.post("/api/recordings/" + recordingId + "/clips", ch.ownerToken(),
                    Map.of("start", 0.5, "end", 2.5, "title", "Two seconds"));
            assertThat(clip.status()).as(clip.body()).isEqualTo(201);
            await("clip.ready arrives", () -> received.stream().anyMatch(r -> "clip.ready".equals(r.event())), received);
            Received clipReady = received.stream().filter(r -> "clip.ready".equals(r.event())).findFirst().orElseThrow();
            assertThat(verifies(clipReady, secret)).isTrue();
            JsonNode clipData = new ObjectMapper().readTree(clipReady.body()).at("/data");
            assertThat(clipData.at("/clipId").asLong()).isEqualTo(clip.json().at("/id").asLong());
            assertThat(clipData.at("/recordingId").asLong()).isEqualTo(recordingId);
            assertThat(clipData.at("/title").asText()).isEqualTo("Two seconds");
            assertThat(received.stream().filter(r -> "recording.ready".equals(r.event())).count()).as("one recording, one event").isEqualTo(1);
        } finally {
            receiver.stop(0);
        }
    }

    static boolean verifies(Received r, String secret) {
        String t = null, v1 = null;
        for (String part : r.signature().split(",")) {
            if (part.startsWith("t=")) t = part.substring(2);
            if (part.startsWith("v1=")) v1 = part.substring(3);
        }
        return t != null && v1 != null && Math.abs(r.at() - Long.parseLong(t)) <= 300
                && WebhookSignature.hmac(secret, t + "." + r.body()).equals(v1);
    }

    static void await(String what, java.util.function.BooleanSupplier done, List<Received> received) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what + "; received: " + received);
            Thread.sleep(200);
        }
    }
}
