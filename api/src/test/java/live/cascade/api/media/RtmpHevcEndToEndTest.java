package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enhanced RTMP HEVC (issue 23): the bundled FFmpeg publishes libx265 HEVC (with B-frames) and AAC over RTMP, FFmpeg 8's
 * FLV muxer writing the {@code hvc1} FourCC. The channel goes live like any RTMP publish; stream health says the video
 * is HEVC for HLS and the recording only; a WHEP offer for video is refused with a sentence pointing at HLS (the web
 * player falls back there) while an audio-only offer gets the Opus; the HLS source rendition is the HEVC as sent, in
 * fMP4 tagged {@code hvc1} with an {@code hvc1.…} CODECS string, frame for frame at 30 fps with the publisher's AAC; and
 * the recording is the same HEVC in MP4. The HLS ladder is on (source only) in this test alone.
 */
@Tag("integration")
@Timeout(120)
class RtmpHevcEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--rtmp-port", "0", "--hls-ladder", "source", "--publisher-grace", "1s");

    @TempDir
    Path tmp;

    @Test
    void anHevcPublishGoesLiveWithItsVideoCopiedIntoHlsAndTheRecording() throws Exception {
        MediaNode media = bed.media();
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        Channel ch = media.createChannel("hevc");
        URI master = URI.create(media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        String health = "/api/channels/" + ch.slug() + "/stream/health";
        Path segments;
        byte[] init;
        try (FfmpegPublisher ff = FfmpegPublisher.rtmpHevc("rtmp://127.0.0.1:" + port + "/live/" + ch.streamKey(), 40)) {
            // 1. Live, and the studio's status says where the video goes.
            JsonNode h = Eventually.await("the HEVC publish is live", Duration.ofSeconds(30), () -> {
                TestNode.Response r = media.node.get(health, ch.ownerToken());
                return r.status() == 200 ? r.json() : MissingNode.getInstance();
            }, x -> "live".equals(x.at("/state").asText()) && x.at("/ingest/video").asText().startsWith("HEVC"), ff::diagnostics);
            assertThat(h.at("/ingest/protocol").asText()).isEqualTo("rtmp");
            assertThat(h.at("/ingest/video").asText()).matches("HEVC Main, level \\d(\\.\\d)?");
            assertThat(h.at("/ingest/webrtcVideo").asBoolean(true)).as("WebRTC viewers do not get the video").isFalse();
            assertThat(h.at("/ingest/warnings").toString()).contains("HLS and the recording only");

            // 2. WHEP: an offer for video is refused with a sentence (players fall back to HLS); audio alone plays.
            String offer = MediaMetricsTest.fixture("chromium-viewer-offer.sdp");
            TestNode.Response refused = media.node.send("POST", "/api/whep/" + ch.slug(), null, offer, "Content-Type", "application/sdp");
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("HEVC").contains("/hls/" + ch.slug() + "/master.m3u8");
            String audioOnly = offer.substring(0, offer.indexOf("m=video")).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
            TestNode.Response audio = media.node.send("POST", "/api/whep/" + ch.slug(), null, audioOnly, "Content-Type", "application/sdp");
            assertThat(audio.status()).as(audio.body()).isEqualTo(201);
            assertThat(audio.body()).contains("m=audio").containsIgnoringCase("opus/48000").doesNotContain("m=video");

            // 3. HLS: the source rendition is HEVC as sent (hvc1), with the publisher's AAC.
            String masterBody = awaitOk(master, ff::diagnostics);
            List<HlsHttp.Variant> variants = HlsHttp.variants(master, masterBody);
            assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source");
            HlsHttp.Variant source = variants.getFirst();
            assertThat(source.codecs()).matches("hvc1\\.1\\.6\\.L\\d+(\\.[0-9A-F]{1,2})*,mp4a\\.40\\.2");
            assertThat(source.resolution()).isEqualTo("640x360");
            String playlist = awaitSegments(source.uri(), 3, ff::diagnostics);
            List<HlsHttp.Segment> segs = HlsHttp.segments(source.uri(), playlist);
            URI map = HlsHttp.map(source.uri(), playlist);
            init = HlsHttp.ok(HlsHttp.get(map)).body();
            segments = HlsHttp.download(map, segs.subList(segs.size() - 2, segs.size()), tmp.resolve("source.mp4"));
            double seconds = segs.subList(segs.size() - 2, segs.size()).stream().mapToDouble(HlsHttp.Segment::duration).sum();
            JsonNode probe = Ffprobe.probe(segments);
            JsonNode video = Ffprobe.stream(probe, "video");
            assertThat(video.at("/codec_name").asText()).isEqualTo("hevc");
            assertThat(video.at("/codec_tag_string").asText()).isEqualTo("hvc1");
            assertThat(video.at("/width").asInt()).isEqualTo(640);
            assertThat(video.at("/height").asInt()).isEqualTo(360);
            assertThat(video.at("/nb_read_frames").asDouble()).as("frames in %s s", seconds).isCloseTo(30 * seconds, within(3.0));
            assertThat(Ffprobe.frameRate(video)).isCloseTo(30.0, within(1.0));
            JsonNode aac = Ffprobe.stream(probe, "audio");
            assertThat(aac.at("/codec_name").asText()).isEqualTo("aac");
            assertThat(aac.at("/sample_rate").asInt()).as("the publisher's AAC, not the node's 48 kHz encoder").isEqualTo(44_100);

            assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
        }
        String initText = new String(init, StandardCharsets.ISO_8859_1);
        assertThat(initText).as("the initialization segment's sample entry").contains("hvc1").contains("hvcC").doesNotContain("hev1");

        // 4. The recording: the same HEVC, in MP4.
        JsonNode rec = Eventually.await("the recording is registered and ready", Duration.ofSeconds(30),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() == 1 && "ready".equals(r.at("/items/0/status").asText()), () -> "").at("/items/0");
        Path recFile = tmp.resolve("recording.mp4");
        Files.write(recFile, HlsHttp.ok(HlsHttp.get(URI.create(media.node.url("/api/recordings/" + rec.at("/id").asLong() + "/media")),
                "Authorization", "Bearer " + ch.ownerToken())).body());
        JsonNode rp = Ffprobe.probe(recFile);
        JsonNode recVideo = Ffprobe.stream(rp, "video");
        assertThat(recVideo.at("/codec_name").asText()).isEqualTo("hevc");
        assertThat(recVideo.at("/codec_tag_string").asText()).isEqualTo("hvc1");
        assertThat(recVideo.at("/width").asInt()).isEqualTo(640);
        assertThat(Ffprobe.stream(rp, "audio").at("/codec_name").asText()).isEqualTo("aac");
        assertThat(rp.at("/format/duration").asDouble()).as("recorded seconds").isGreaterThan(4.0);
        assertThat(recVideo.at("/nb_read_frames").asDouble()).as("frames decoded from the recording")
                .isCloseTo(30 * rp.at("/format/duration").asDouble(), within(0.15 * 30 * rp.at("/format/duration").asDouble()));
    }

    private static String awaitOk(URI u, java.util.function.Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + 40_000_000_000L;
        HttpResponse<byte[]> last = null;
        while (System.nanoTime() < deadline) {
            last = HlsHttp.get(u);
            if (last.statusCode() == 200) return HlsHttp.text(last);
            Thread.sleep(250);
        }
        throw new AssertionError(u + " never answered 200 (last: " + (last == null ? "-" : last.statusCode()) + ")\n" + diagnostics.get());
    }

    private static String awaitSegments(URI playlist, int n, java.util.function.Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + 40_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = HlsHttp.get(playlist);
            body = HlsHttp.text(r);
            if (r.statusCode() == 200 && HlsHttp.segments(playlist, body).size() >= n) return body;
            Thread.sleep(250);
        }
        throw new AssertionError(playlist + " never had " + n + " segments:\n" + body + "\n" + diagnostics.get());
    }
}
