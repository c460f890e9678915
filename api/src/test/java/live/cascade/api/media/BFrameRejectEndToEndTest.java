package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --ingest-bframes reject} (issue 23): FFmpeg publishing H.264 with B-frames ({@code -bf 2}) over RTMP is refused
 * before the channel goes live (the connection closes, FFmpeg gives up), counted in
 * {@code cascade_ingest_bframe_rejected_total}; the same node takes a publish without B-frames.
 */
@Tag("integration")
@Timeout(120)
class BFrameRejectEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--rtmp-port", "0", "--ingest-bframes", "reject",
            "--publisher-grace", "1s");

    @Test
    void aPublishWithBFramesIsRefusedBeforeItGoesLiveAndCounted() throws InterruptedException {
        MediaNode media = bed.media();
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        Channel withB = media.createChannel("bfrej");
        Channel without = media.createChannel("bfok");
        double rejectedBefore = RestreamScenario.metric(media, "cascade_ingest_bframe_rejected_total");

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp("rtmp://127.0.0.1:" + port + "/live/" + withB.streamKey(), 2, 30)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ffmpeg.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(ffmpeg.isAlive()).as("ffmpeg gave up after the refusal\n%s", ffmpeg.diagnostics()).isFalse();
        }
        assertThat(RestreamScenario.metric(media, "cascade_ingest_bframe_rejected_total")).isEqualTo(rejectedBefore + 1);

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp("rtmp://127.0.0.1:" + port + "/live/" + without.streamKey(), 0, 30)) {
            String health = "/api/channels/" + without.slug() + "/stream/health";
            Eventually.await("the publish without B-frames goes live", () -> {
                        TestNode.Response r = media.node.get(health, without.ownerToken());
                        return r.status() == 200 ? r.json() : MissingNode.getInstance();
                    }, h -> "live".equals(h.at("/state").asText()), ffmpeg::diagnostics);
        }
        // Sessions are written through the database queue: the live one shows up, and by then the refused one would have.
        Eventually.await("the broadcast without B-frames is in the channel's sessions",
                () -> media.node.get("/api/channels/" + without.slug() + "/sessions", without.ownerToken()).json(),
                j -> j.at("/items").size() == 1, () -> "");
        JsonNode refused = media.node.get("/api/channels/" + withB.slug() + "/sessions", withB.ownerToken()).json();
        assertThat(refused.at("/items").size()).as("the refused publish never went live: %s", refused).isZero();
        assertThat(RestreamScenario.metric(media, "cascade_ingest_bframe_rejected_total")).isEqualTo(rejectedBefore + 1);
    }
}
