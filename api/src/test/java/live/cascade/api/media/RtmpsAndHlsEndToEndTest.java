package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.TestCertificate;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 23 end to end, the two cases {@link RtmpIngestEndToEndTest} leaves out: Chromium plays over WHEP what the bundled
 * FFmpeg publishes over RTMPS (RTMP inside TLS, on the node's second port with the node's own certificate), and hls.js
 * in Chromium plays the HLS ladder the node makes from an RTMP publish, every rung. The node serves HTTPS with a
 * self-signed certificate (RTMPS takes the node's certificate), so this Chromium ignores certificate errors.
 */
@Tag("integration")
@Timeout(240)
class RtmpsAndHlsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    static Path dir;
    static TestNode node;
    static MediaNode media;
    static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rtmps-e2e");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificate.selfSigned("localhost").write(cert, key);
        node = new TestNode("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--rtmp-port", "0",
                "--rtmps-port", "0", "--hls-ladder", "source,240p", "--publisher-grace", "2s");
        media = MediaNode.of(node);
        browser = Chromium.launch(null, List.of("--ignore-certificate-errors"));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.close();
        } finally {
            if (node != null) node.close();
        }
    }

    @Test
    void chromiumPlaysOverWhepWhatFfmpegPublishesOverRtmps() {
        Channel channel = media.createChannel("rtmps");
        int tlsPort = node.server.media().rtmp().tlsPort().orElseThrow();
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp("rtmps://127.0.0.1:" + tlsPort + "/live/" + channel.streamKey(), 0, 90)) {
            Viewer viewer = Viewer.open(browser);
            JsonNode s = RtmpIngestEndToEndTest.playsSixtyFramesAndOpus(viewer, channel, ffmpeg, "RTMPS");
            assertThat(s.at("/pc/inbound/video/codec").asText()).as("video codec").isEqualToIgnoringCase("video/H264");
            assertThat(s.at("/pc/inbound/audio/codec").asText()).as("audio codec").isEqualToIgnoringCase("audio/opus");
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).isEqualTo(640);
            JsonNode health = media.node.get("/api/channels/" + channel.slug() + "/stream/health", channel.ownerToken()).json();
            assertThat(health.at("/state").asText()).isEqualTo("live");
            assertThat(health.at("/ingest/protocol").asText()).isEqualTo("rtmps");
            assertThat(health.at("/ingest/audio").asText()).isEqualTo("AAC → Opus");
            assertThat(ffmpeg.isAlive()).as("ffmpeg still publishing\n%s", ffmpeg.diagnostics()).isTrue();
            assertThat(viewer.stop()).isBetween(200, 299);
        }
    }

    /**
     * The ladder of an RTMP publish ({@code source} as sent and a 240p rung x264 makes) in hls.js: it plays, both
     * renditions are in the master playlist with their sizes, and forcing each one brings its pictures on screen and
     * keeps them coming.
     */
    @Test
    void hlsJsPlaysEveryRungOfTheLadderOfAnRtmpPublish() throws InterruptedException {
        Channel channel = media.createChannel("rtmphls");
        int port = node.server.media().rtmp().port().orElseThrow();
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp("rtmp://127.0.0.1:" + port + "/live/" + channel.streamKey(), 0, 120)) {
            String path = "/hls/" + channel.slug() + "/master.m3u8";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (node.get(path, null).status() != 200) {
                assertThat(System.nanoTime()).as("the master playlist within 60 s\n%s", ffmpeg.diagnostics()).isLessThan(deadline);
                Thread.sleep(250);
            }
            String master = node.url(path);
            HlsPlayer player = HlsPlayer.open(browser);
            player.play(master, Map.of("lowLatencyMode", false));
            double playing = Eventually.await("hls.js plays the RTMP publish", WAIT, player::stats,
                    s -> s.at("/currentTime").asDouble() > 1.0, () -> player.diagnostics() + "\n" + ffmpeg.diagnostics())
                    .at("/currentTime").asDouble();
            Eventually.await("hls.js plays on", WAIT, player::stats, s -> s.at("/currentTime").asDouble() > playing + 2.0,
                    player::diagnostics);
            JsonNode levels = player.stats().at("/levels");
            List<Integer> heights = new ArrayList<>();
            for (JsonNode level : levels) heights.add(level.at("/height").asInt());
            assertThat(heights).as("the ladder's renditions in hls.js (%s)", levels).containsExactlyInAnyOrder(360, 240);
            for (int i = 0; i < levels.size(); i++) {
                int level = i;
                int height = heights.get(i);
                player.setLevel(level);
                JsonNode shown = Eventually.await("hls.js shows level " + level + " (" + height + " high)", WAIT, player::stats,
                        s -> s.at("/videoHeight").asInt() == height && s.at("/level").asInt() == level, player::diagnostics);
                long presented = shown.at("/framesPresented").asLong();
                JsonNode after = Eventually.await("frames keep coming at level " + level, WAIT, player::stats,
                        s -> s.at("/framesPresented").asLong() >= presented + 45, player::diagnostics);
                assertThat(after.at("/errors").toString()).as("hls.js errors").doesNotContain("fatal=true");
                System.out.printf("[media] hls.js on the RTMP publish's %dp rendition: %d frames presented, codecs %s%n",
                        height, after.at("/framesPresented").asLong(), levels.get(i).at("/codecs").asText());
            }
            player.stop();
        }
    }
}
