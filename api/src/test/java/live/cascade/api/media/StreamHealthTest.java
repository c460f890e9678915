package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.http.Json;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 4 ingest health: the bundled FFmpeg publishes 640x360 at 30 fps H.264 with a keyframe every 30 frames
 * ({@code -g 30}) plus Opus over WHIP, and {@code GET /api/channels/{channel}/stream/health} and {@code /metrics}
 * report what the router measured of that stream. No browser: the figures come from the server alone.
 */
@Tag("integration")
@Timeout(90)
class StreamHealthTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly();
    static MediaNode media;
    static TestNode.Account admin;
    static TestNode.Account stranger;

    @BeforeAll
    static void start() {
        media = bed.media();
        admin = media.node.signup("health_admin"); // the node's first account is its administrator
        stranger = media.node.signup("health_stranger");
    }

    @Test
    void ownerSeesTheCodecResolutionFrameRateKeyframeIntervalAndBitrateFfmpegPublishes() {
        Timeline t = new Timeline("stream health");
        Channel channel = media.createChannel("health");
        String path = "/api/channels/" + channel.slug() + "/stream/health";

        TestNode.Response offline = media.node.get(path, channel.ownerToken());
        assertThat(offline.status()).as("offline channel: %s", offline.body()).isEqualTo(409);
        assertThat(offline.header("Content-Type")).startsWith("application/problem+json");
        assertThat(offline.json().at("/status").asInt()).isEqualTo(409);
        assertThat(media.node.get("/api/channels/no-such-channel/stream/health", channel.ownerToken()).status()).isEqualTo(404);
        assertThat(media.node.get(path, null).status()).isEqualTo(401);

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.start(channel.whipUrl(), channel.streamKey(), 60)) {
            t.mark("ffmpeg started");
            // The router's figures need a closed one-second window and two keyframes to exist; the first interval
            // can be short (FFmpeg's first GOP starts with the stream, not on the -g grid of the arrivals), so wait
            // for the steady state: the fourth keyframe.
            JsonNode health = Eventually.await("the health endpoint reports measured video and audio", Duration.ofSeconds(40),
                    () -> poll(path, channel.ownerToken()),
                    h -> h.at("/status").asInt() == 200
                            && video(h).at("/keyframes").asLong() >= 4
                            && video(h).at("/frameRate").isNumber()
                            && video(h).at("/keyframeInterval").isNumber()
                            && video(h).at("/width").isNumber()
                            && audio(h).at("/bitrate").isNumber(),
                    ffmpeg::diagnostics);
            t.mark("health measured");
            System.out.println("[media] stream health of FFmpeg's 640x360/30 fps H.264 -g 30 + Opus: " + health.at("/body"));

            JsonNode body = health.at("/body");
            assertThat(body.at("/state").asText()).isEqualTo("live");
            assertThat(body.at("/publisherConnected").asBoolean()).isTrue();
            assertThat(body.at("/channel").asText()).isEqualTo(channel.slug());
            JsonNode video = video(health);
            assertThat(video.at("/codec").asText()).isEqualToIgnoringCase("H264");
            assertThat(video.at("/width").asInt()).isEqualTo(640);
            assertThat(video.at("/height").asInt()).isEqualTo(360);
            // Each reading covers the last second (frame rate) and the last two keyframes (interval), measured on
            // arrival, so one reading carries the sender's and the machine's jitter (a loaded machine measured 1.4 s
            // once): the median of five readings a second apart is what FFmpeg configured.
            List<JsonNode> readings = new ArrayList<>();
            readings.add(health);
            for (int i = 0; i < 4; i++) {
                long keyframes = video(readings.getLast()).at("/keyframes").asLong();
                readings.add(Eventually.await("the next keyframe is measured", Duration.ofSeconds(10),
                        () -> poll(path, channel.ownerToken()),
                        h -> h.at("/status").asInt() == 200 && video(h).at("/keyframes").asLong() > keyframes, ffmpeg::diagnostics));
            }
            double frameRate = median(readings, "/frameRate");
            double keyframeInterval = median(readings, "/keyframeInterval");
            System.out.println("[media] stream health: median of 5 readings: " + frameRate + " fps, keyframe interval " + keyframeInterval + " s");
            assertThat(frameRate).as("frames per second (median of %s)", readings).isCloseTo(30.0, within(5.0));
            // -g 30 at 30 fps: one keyframe a second.
            assertThat(keyframeInterval).as("keyframe interval, s (median)").isCloseTo(1.0, within(0.25));
            assertThat(video.at("/bitrate").asLong()).as("video bits per second").isPositive();
            assertThat(video.at("/packetLoss").asDouble()).as("loss on loopback").isLessThan(0.05);
            assertThat(video.at("/jitterMs").isNumber()).isTrue();
            JsonNode audio = audio(health);
            assertThat(audio.at("/codec").asText()).isEqualToIgnoringCase("opus");
            assertThat(audio.at("/bitrate").asLong()).as("audio bits per second").isPositive();
            assertThat(audio.at("/frameRate").isNull()).as("audio has no frame rate").isTrue();
            // The broadcast's recording: running, nothing to recover from; FFmpeg's timestamps need no correction.
            assertThat(body.at("/recording/state").asText()).as("recording: %s", body).isEqualTo("recording");
            assertThat(body.at("/recording/recoveries").asInt()).isZero();
            assertThat(body.at("/recording/droppedPackets").asLong()).isZero();
            assertThat(body.at("/recording/timestampCorrections").isNumber()).isTrue();

            // Owner or admin only.
            assertThat(media.node.get(path, admin.token()).status()).as("admin").isEqualTo(200);
            TestNode.Response forbidden = media.node.get(path, stranger.token());
            assertThat(forbidden.status()).as("someone else's channel: %s", forbidden.body()).isEqualTo(403);

            // The same figures as Prometheus gauges tagged with the channel's slug and the track kind.
            String metrics = media.node.get("/metrics", null).body();
            String video30 = "cascade_ingest_frames_per_second{channel=\"" + channel.slug() + "\",kind=\"video\"}";
            // One reading, so the margins of a single reading (see above) around the medians.
            assertThat(gauge(metrics, video30)).as("%s in /metrics", video30).isCloseTo(frameRate, within(10.0));
            assertThat(gauge(metrics, "cascade_ingest_keyframe_interval_seconds{channel=\"" + channel.slug() + "\",kind=\"video\"}"))
                    .isCloseTo(keyframeInterval, within(0.6));
            assertThat(gauge(metrics, "cascade_ingest_width_pixels{channel=\"" + channel.slug() + "\",kind=\"video\"}")).isEqualTo(640.0);
            assertThat(gauge(metrics, "cascade_ingest_bitrate_bits_per_second{channel=\"" + channel.slug() + "\",kind=\"audio\"}")).isPositive();
            assertThat(metrics).contains("cascade_ingest_codec{channel=\"" + channel.slug() + "\",codec=\"opus\",kind=\"audio\"} 1.0");
            assertThat(metrics).containsIgnoringCase("cascade_ingest_codec{channel=\"" + channel.slug() + "\",codec=\"H264\",kind=\"video\"} 1.0");
            t.mark("endpoint and metrics checked");
            // The studio's one read: the ingest document carries the same health, so no second request can be
            // overtaken by the end of the broadcast.
            JsonNode ingest = media.node.get("/api/analytics/channels/" + channel.slug() + "/ingest", channel.ownerToken()).json();
            assertThat(ingest.at("/state").asText()).isEqualTo("live");
            JsonNode ingestVideo = track(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("body", ingest.get("health")), "video");
            assertThat(ingestVideo.at("/codec").asText()).isEqualTo(video(health).at("/codec").asText());
            assertThat(ingestVideo.at("/width").asInt()).isEqualTo(video(health).at("/width").asInt());
        }

        // The owner stops the stream: the endpoint says 409 again and the channel's gauges are gone.
        assertThat(media.node.post("/api/channels/" + channel.slug() + "/stream/stop", channel.ownerToken(), null).status()).isEqualTo(204);
        assertThat(media.node.get(path, channel.ownerToken()).status()).isEqualTo(409);
        JsonNode ended = media.node.get("/api/analytics/channels/" + channel.slug() + "/ingest", channel.ownerToken()).json();
        assertThat(ended.at("/state").asText()).isEqualTo("offline");
        assertThat(ended.get("health").isNull()).as("no health once the broadcast ended: %s", ended).isTrue();
        Eventually.await("the channel's ingest gauges are removed once its broadcast ended", Duration.ofSeconds(10),
                () -> text(media.node.get("/metrics", null).body()),
                m -> !m.asText().contains("channel=\"" + channel.slug() + "\""),
                () -> "");
        t.mark("stopped; gauges removed");
    }

    private static double median(List<JsonNode> readings, String field) {
        List<Double> values = new ArrayList<>();
        for (JsonNode r : readings) values.add(video(r).at(field).asDouble());
        values.sort(null);
        return values.get(values.size() / 2);
    }

    private static JsonNode poll(String path, String token) {
        TestNode.Response r = media.node.get(path, token);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("status", r.status());
        n.set("body", r.status() == 200 ? r.json() : Json.MAPPER.getNodeFactory().textNode(r.body()));
        return n;
    }

    private static JsonNode text(String s) {
        return Json.MAPPER.getNodeFactory().textNode(s);
    }

    private static JsonNode video(JsonNode h) {
        return track(h, "video");
    }

    private static JsonNode audio(JsonNode h) {
        return track(h, "audio");
    }

    private static JsonNode track(JsonNode h, String kind) {
        for (JsonNode t : h.at("/body/tracks")) if (kind.equals(t.at("/kind").asText())) return t;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static double gauge(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        if (!m.find()) throw new AssertionError(series + " not in /metrics:\n" + metrics.lines()
                .filter(l -> l.startsWith("cascade_ingest")).reduce("", (a, b) -> a + b + "\n"));
        return Double.parseDouble(m.group(1));
    }
}
