package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


import static live.cascade.api.media.Viewer.audioPackets;
import static live.cascade.api.media.Viewer.audioSamples;
import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FFmpeg 8's WHIP muxer (the bundled Bytedeco binary) publishes H.264 baseline + Opus; it offers
 * {@code a=setup:passive}, so the server is the DTLS client. Chromium plays the channel over WHEP.
 */
@Tag("integration")
@Timeout(120)
class FfmpegWhipInteropTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static Chromium browser;
    static MediaNode media;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
    }

    @Test
    void chromiumPlaysWhatFfmpegPublishesOverWhip() {
        Timeline t = new Timeline("ffmpeg");
        Channel channel = media.createChannel("ffmpeg");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.start(channel.whipUrl(), channel.streamKey(), 60)) {
            t.mark("ffmpeg started");
            Viewer viewer = Viewer.open(browser);
            try {
                viewer.play(channel.whepUrl(), false); // retries while the channel answers 409 (not live yet)
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + ffmpeg.diagnostics(), e);
            }
            JsonNode s = Eventually.await("Chromium has decoded 60 frames of FFmpeg's 640x360 H.264 and received its Opus",
                    viewer::stats,
                    x -> framesDecoded(x) >= 60 && audioPackets(x) > 0,
                    () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            t.mark("viewer decoded 60 frames");
            assertThat(s.at("/pc/inbound/video/codec").asText()).as("video codec").isEqualToIgnoringCase("video/H264");
            assertThat(s.at("/pc/inbound/audio/codec").asText()).as("audio codec").isEqualToIgnoringCase("audio/opus");
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).as("decoded width").isEqualTo(640);
            assertThat(s.at("/pc/inbound/video/frameHeight").asInt()).as("decoded height").isEqualTo(360);
            long samples = audioSamples(s);
            long packets = audioPackets(s);
            Eventually.await("FFmpeg's audio keeps arriving (packetsReceived and totalSamplesReceived increase)", viewer::stats,
                    x -> audioPackets(x) > packets && audioSamples(x) > samples,
                    () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            assertThat(ffmpeg.isAlive()).as("ffmpeg still publishing\n%s", ffmpeg.diagnostics()).isTrue();
            WhipWhepBrowserTest.printFirstFrame("viewer of ffmpeg", s);
            assertThat(viewer.stop()).as("viewer DELETE").isBetween(200, 299);
        }
        t.mark("viewer deleted, ffmpeg stopped");
    }
}
