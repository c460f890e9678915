package live.cascade.api.media;

import static live.cascade.api.media.Viewer.audioPackets;
import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.media.MediaNode.Channel;

/**
 * Restreaming out, end to end (issue 23), shared by the test classes whose nodes differ in what else they make:
 * channel A restreams to the node's own RTMP ingest with channel B's key. FFmpeg publishes to A over RTMP; the node's
 * FLV muxer (H.264 copied, Opus → AAC) sends it on, B goes live from it and Chromium decodes B over WHEP. The key never
 * comes back from the API in full; a URL that is not rtmp(s) is refused with a sentence.
 */
final class RestreamScenario {
    private RestreamScenario() {}

    /** @param whileLive more checks while A restreams and B plays (the node's taps, say) */
    static void run(MediaNode media, Chromium browser, int rtmpPort, Runnable whileLive) {
        Channel a = media.createChannel("resta");
        Channel b = media.createChannel("restb");
        String path = "/api/channels/" + a.slug() + "/restreams";
        TestNode.Response bad = media.node.post(path, a.ownerToken(), Map.of("url", "https://example.org/live", "key", "k"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("rtmp://");
        TestNode.Response created = media.node.post(path, a.ownerToken(),
                Map.of("url", "rtmp://127.0.0.1:" + rtmpPort + "/live", "key", b.streamKey()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(b.streamKey());
        assertThat(created.json().at("/keyHint").asText()).isEqualTo("…" + b.streamKey().substring(b.streamKey().length() - 4));
        assertThat(media.node.get(path, b.ownerToken()).status()).as("another owner cannot list them").isEqualTo(403);

        String rtmpA = "rtmp://127.0.0.1:" + rtmpPort + "/live/" + a.streamKey();
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp(rtmpA, 0, 90)) {
            String healthB = "/api/channels/" + b.slug() + "/stream/health";
            Eventually.await("channel B goes live from A's restream", () -> {
                        TestNode.Response r = media.node.get(healthB, b.ownerToken());
                        return r.status() == 200 ? r.json() : MissingNode.getInstance();
                    }, h -> "live".equals(h.at("/state").asText()) && "rtmp".equals(h.at("/ingest/protocol").asText()),
                    () -> ffmpeg.diagnostics() + "\nA: " + media.node.get("/api/channels/" + a.slug() + "/stream/health", a.ownerToken()).body());
            Viewer viewer = Viewer.open(browser);
            viewer.play(b.whepUrl(), false);
            JsonNode s = Eventually.await("Chromium decodes 60 frames of channel B (A restreamed)", viewer::stats,
                    x -> framesDecoded(x) >= 60 && audioPackets(x) > 20, () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).as("H.264 copied, not re-encoded").isEqualTo(640);
            JsonNode healthA = media.node.get("/api/channels/" + a.slug() + "/stream/health", a.ownerToken()).json();
            assertThat(healthA.at("/restreams/0/state").asText()).isEqualTo("live");
            assertThat(healthA.at("/restreams/0/url").asText()).isEqualTo("rtmp://127.0.0.1:" + rtmpPort + "/live");
            assertThat(media.node.get(healthB, b.ownerToken()).json().at("/ingest/audio").asText()).isEqualTo("AAC → Opus");
            JsonNode list = media.node.get(path, a.ownerToken()).json();
            assertThat(list.at("/restreams/0/status/state").asText()).isEqualTo("live");
            assertThat(list.toString()).doesNotContain(b.streamKey());
            whileLive.run();
            assertThat(viewer.stop()).isBetween(200, 299);
        }
        assertThat(metric(media, "cascade_restream_connects_total")).isGreaterThanOrEqualTo(1);
        long id = media.node.get(path, a.ownerToken()).json().at("/restreams/0/id").asLong();
        assertThat(media.node.send("DELETE", path + "/" + id, a.ownerToken(), null).status()).isEqualTo(204);
        assertThat(media.node.get(path, a.ownerToken()).json().at("/restreams").size()).isZero();
    }

    static double metric(MediaNode media, String nameRegex) {
        String text = media.node.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^" + nameRegex + "\\s+(\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
