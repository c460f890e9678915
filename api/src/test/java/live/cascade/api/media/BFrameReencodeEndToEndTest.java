package live.cascade.api.media;

import static live.cascade.api.media.Viewer.audioPackets;
import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --ingest-bframes reencode} (issue 23): FFmpeg publishes H.264 with B-frames ({@code -bf 2}) over RTMP; the node
 * re-encodes the video without them and Chromium plays it over WHEP at the source's size; the creator is told, and
 * the publish is counted.
 */
@Tag("integration")
@Timeout(180)
class BFrameReencodeEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--rtmp-port", "0", "--ingest-bframes", "reencode", "--publisher-grace", "2s");

    @Test
    void aPublishWithBFramesIsReencodedAndPlaysOverWhep() {
        MediaNode media = bed.media();
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        Channel ch = media.createChannel("bfre");
        double before = RestreamScenario.metric(media, "cascade_ingest_bframe_reencoded_total");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp("rtmp://127.0.0.1:" + port + "/live/" + ch.streamKey(), 2, 90)) {
            String path = "/api/channels/" + ch.slug() + "/stream/health";
            JsonNode health = Eventually.await("stream health says the video is re-encoded", () -> {
                        TestNode.Response r = media.node.get(path, ch.ownerToken());
                        return r.status() == 200 ? r.json() : MissingNode.getInstance();
                    }, h -> h.at("/ingest/video").asText().endsWith("re-encoded without B-frames"), ffmpeg::diagnostics);
            assertThat(health.at("/ingest/warnings/0").asText()).contains("re-encodes").contains("bframes=0");
            Viewer viewer = Viewer.open(bed.chromium());
            viewer.play(ch.whepUrl(), false);
            JsonNode s = Eventually.await("Chromium decodes 60 frames of the re-encoded video", viewer::stats,
                    x -> framesDecoded(x) >= 60 && audioPackets(x) > 20, () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            assertThat(s.at("/pc/inbound/video/codec").asText()).isEqualToIgnoringCase("video/H264");
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).isEqualTo(640);
            assertThat(s.at("/pc/inbound/video/frameHeight").asInt()).isEqualTo(360);
            assertThat(viewer.stop()).isBetween(200, 299);
        }
        assertThat(RestreamScenario.metric(media, "cascade_ingest_bframe_reencoded_total")).isEqualTo(before + 1);
    }
}
