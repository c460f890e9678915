package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video WebRTC viewers here are not sent (issue 23): the bundled FFmpeg publishes libx265 HEVC (with B-frames) over
 * enhanced RTMP ({@code hvc1}) and over SRT (MPEG-TS), and SVT-AV1 over enhanced RTMP ({@code av01}), each with AAC.
 * Each channel goes live like any RTMP/SRT publish; stream health says the video goes to HLS and the recording only; a
 * WHEP offer for video is refused (422) with a sentence pointing at HLS (the web player falls back there) while an
 * audio-only offer gets the Opus; the HLS source rendition is the video as sent, in fMP4 with the codec's sample entry
 * and a CODECS string read from the stream, frame for frame at 30 fps with the publisher's AAC; and the recording is
 * the same video in MP4. An HEVC publish is also restreamed (to a second node's RTMP ingest) as enhanced RTMP with
 * its AAC as sent. The HLS ladder is on (source only) in this class alone.
 */
@Tag("integration")
@Timeout(300)
class HlsOnlyVideoEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--rtmp-port", "0", "--srt-port", "0", "--hls-ladder", "source",
            "--publisher-grace", "1s");

    @TempDir
    Path tmp;

    /**
     * What one codec should look like.
     *
     * @param health   the studio's description of the video (a regular expression)
     * @param word     how the 422 names the codec
     * @param name     ffprobe's codec_name
     * @param tag      the MP4 sample entry (ffprobe's codec_tag_string)
     * @param box      the sample entry's configuration box
     * @param codecs   the master playlist's CODECS (a regular expression)
     */
    record Expected(String health, String word, String name, String tag, String box, String codecs) {}

    static final Expected HEVC = new Expected("HEVC Main, level \\d(\\.\\d)?", "HEVC", "hevc", "hvc1", "hvcC",
            "hvc1\\.1\\.6\\.L\\d+(\\.[0-9A-F]{1,2})*,mp4a\\.40\\.2");
    static final Expected AV1 = new Expected("AV1 Main, level \\d\\.\\d", "AV1", "av1", "av01", "av1C", "av01\\.0\\.\\d\\dM\\.08,mp4a\\.40\\.2");

    /**
     * Also restreamed: channel A restreams to a second node's RTMP ingest (on loopback) with its channel B's key, and B
     * goes live there from the HEVC copied as enhanced RTMP with A's AAC as sent (44.1 kHz, not the node's 48 kHz
     * encoder), at 30 fps in B's HLS.
     */
    @Test
    void anRtmpHevcPublishGoesLiveWithItsVideoCopiedIntoHlsTheRecordingAndRestreams() throws Exception {
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        MediaNode media = bed.media();
        MediaNode second = bed.extraNode("--rtmp-port", "0", "--hls-ladder", "source", "--recordings", "false");
        int secondPort = second.node.server.media().rtmp().port().orElseThrow();
        Channel a = media.createChannel("hevc");
        Channel b = second.createChannel("hevcb");
        TestNode.Response created = media.node.post("/api/channels/" + a.slug() + "/restreams", a.ownerToken(),
                Map.of("url", "rtmp://127.0.0.1:" + secondPort + "/live", "key", b.streamKey()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        run(a, "rtmp", HEVC, key -> FfmpegPublisher.rtmpHevc("rtmp://127.0.0.1:" + port + "/live/" + key, 40), ff -> {
            JsonNode hb = Eventually.await("channel B goes live from A's HEVC restream", Duration.ofSeconds(30), () -> {
                TestNode.Response r = second.node.get("/api/channels/" + b.slug() + "/stream/health", b.ownerToken());
                return r.status() == 200 ? r.json() : MissingNode.getInstance();
            }, j -> "live".equals(j.at("/state").asText()) && j.at("/ingest/video").asText().startsWith("HEVC"), ff::diagnostics);
            assertThat(hb.at("/ingest/webrtcVideo").asBoolean(true)).isFalse();
            JsonNode ha = media.node.get("/api/channels/" + a.slug() + "/stream/health", a.ownerToken()).json();
            assertThat(ha.at("/restreams/0/state").asText()).isEqualTo("live");
            URI masterB = URI.create(second.node.url("/hls/" + b.slug() + "/master.m3u8"));
            HlsHttp.Variant source = HlsHttp.variants(masterB, HlsHttp.awaitOk(masterB, Duration.ofSeconds(40), ff::diagnostics)).getFirst();
            assertThat(source.codecs()).matches(HEVC.codecs());
            JsonNode probe = Ffprobe.probe(lastSegments(source.uri(), ff, tmp.resolve("restreamed.mp4")));
            JsonNode video = Ffprobe.stream(probe, "video");
            assertThat(video.at("/codec_name").asText()).isEqualTo("hevc");
            assertThat(video.at("/width").asInt()).as("copied, not re-encoded").isEqualTo(640);
            assertThat(Ffprobe.frameRate(video)).isCloseTo(30.0, within(1.0));
            assertThat(Ffprobe.stream(probe, "audio").at("/sample_rate").asInt()).as("A's AAC as sent").isEqualTo(44_100);
        });
    }

    @Test
    void anRtmpAv1PublishGoesLiveWithItsVideoCopiedIntoHlsAndTheRecording() throws Exception {
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        run(bed.media().createChannel("av1"), "rtmp", AV1, key -> FfmpegPublisher.rtmpAv1("rtmp://127.0.0.1:" + port + "/live/" + key, 40),
                ff -> { });
    }

    @Test
    void anSrtHevcPublishTakesTheSamePathAsRtmpHevc() throws Exception {
        int port = bed.node().server.media().rtmp().srtPort().orElseThrow();
        run(bed.media().createChannel("srthevc"), "srt", HEVC, key -> FfmpegPublisher.srtHevc("srt://127.0.0.1:" + port
                + "?streamid=%23!::r=live/" + key + ",m=publish", 40), ff -> { });
    }

    /** The last two segments of a media playlist once it has three, with its init segment, as one file. */
    private static Path lastSegments(URI playlistUri, FfmpegPublisher ff, Path file) throws Exception {
        String playlist = HlsHttp.awaitSegments(playlistUri, 3, Duration.ofSeconds(40), ff::diagnostics);
        List<HlsHttp.Segment> segs = HlsHttp.segments(playlistUri, playlist);
        return HlsHttp.download(HlsHttp.map(playlistUri, playlist), segs.subList(segs.size() - 2, segs.size()), file);
    }

    /** More checks while a channel is live. */
    interface WhileLive {
        void check(FfmpegPublisher ff) throws Exception;
    }

    /** @param whileLive more checks while the channel is live, before it is stopped */
    private void run(Channel ch, String protocol, Expected x, Function<String, FfmpegPublisher> publish, WhileLive whileLive)
            throws Exception {
        MediaNode media = bed.media();
        URI master = URI.create(media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        String health = "/api/channels/" + ch.slug() + "/stream/health";
        byte[] init;
        try (FfmpegPublisher ff = publish.apply(ch.streamKey())) {
            // 1. Live, and the studio's status says where the video goes.
            JsonNode h = Eventually.await("the " + x.word() + " publish is live", Duration.ofSeconds(30), () -> {
                TestNode.Response r = media.node.get(health, ch.ownerToken());
                return r.status() == 200 ? r.json() : MissingNode.getInstance();
            }, j -> "live".equals(j.at("/state").asText()) && j.at("/ingest/video").asText().startsWith(x.word()), ff::diagnostics);
            assertThat(h.at("/ingest/protocol").asText()).isEqualTo(protocol);
            assertThat(h.at("/ingest/video").asText()).matches(x.health());
            assertThat(h.at("/ingest/webrtcVideo").asBoolean(true)).as("WebRTC viewers do not get the video").isFalse();
            assertThat(h.at("/ingest/warnings").toString()).contains(x.word() + " video goes to HLS and the recording only");

            // 2. WHEP: an offer for video is refused with a sentence (players fall back to HLS); audio alone plays.
            String offer = MediaMetricsTest.fixture("chromium-viewer-offer.sdp");
            TestNode.Response refused = media.node.send("POST", "/api/whep/" + ch.slug(), null, offer, "Content-Type", "application/sdp");
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains(x.word()).contains("/hls/" + ch.slug() + "/master.m3u8");
            String audioOnly = offer.substring(0, offer.indexOf("m=video")).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
            TestNode.Response audio = media.node.send("POST", "/api/whep/" + ch.slug(), null, audioOnly, "Content-Type", "application/sdp");
            assertThat(audio.status()).as(audio.body()).isEqualTo(201);
            assertThat(audio.body()).contains("m=audio").containsIgnoringCase("opus/48000").doesNotContain("m=video");

            // 3. HLS: the source rendition is the video as sent, with the publisher's AAC.
            String masterBody = HlsHttp.awaitOk(master, Duration.ofSeconds(40), ff::diagnostics);
            List<HlsHttp.Variant> variants = HlsHttp.variants(master, masterBody);
            assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source");
            HlsHttp.Variant source = variants.getFirst();
            assertThat(source.codecs()).matches(x.codecs());
            assertThat(source.resolution()).isEqualTo("640x360");
            String playlist = HlsHttp.awaitSegments(source.uri(), 3, Duration.ofSeconds(40), ff::diagnostics);
            List<HlsHttp.Segment> segs = HlsHttp.segments(source.uri(), playlist);
            URI map = HlsHttp.map(source.uri(), playlist);
            init = HlsHttp.ok(HlsHttp.get(map)).body();
            Path segments = HlsHttp.download(map, segs.subList(segs.size() - 2, segs.size()), tmp.resolve("source.mp4"));
            double seconds = segs.subList(segs.size() - 2, segs.size()).stream().mapToDouble(HlsHttp.Segment::duration).sum();
            JsonNode probe = Ffprobe.probe(segments);
            JsonNode video = Ffprobe.stream(probe, "video");
            assertThat(video.at("/codec_name").asText()).isEqualTo(x.name());
            assertThat(video.at("/codec_tag_string").asText()).isEqualTo(x.tag());
            assertThat(video.at("/width").asInt()).isEqualTo(640);
            assertThat(video.at("/height").asInt()).isEqualTo(360);
            assertThat(video.at("/nb_read_frames").asDouble()).as("frames in %s s", seconds).isCloseTo(30 * seconds, within(3.0));
            assertThat(Ffprobe.frameRate(video)).isCloseTo(30.0, within(1.0));
            JsonNode aac = Ffprobe.stream(probe, "audio");
            assertThat(aac.at("/codec_name").asText()).isEqualTo("aac");
            assertThat(aac.at("/sample_rate").asInt()).as("the publisher's AAC, not the node's 48 kHz encoder").isEqualTo(44_100);
            whileLive.check(ff);

            assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
        }
        String initText = new String(init, StandardCharsets.ISO_8859_1);
        assertThat(initText).as("the initialization segment's sample entry").contains(x.tag()).contains(x.box());
        if (x == HEVC) assertThat(initText).doesNotContain("hev1");

        // 4. The recording: the same video, in MP4.
        JsonNode rec = Eventually.await("the recording is registered and ready", Duration.ofSeconds(30),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() == 1 && "ready".equals(r.at("/items/0/status").asText()), () -> "").at("/items/0");
        Path recFile = tmp.resolve("recording.mp4");
        Files.write(recFile, HlsHttp.ok(HlsHttp.get(URI.create(media.node.url("/api/recordings/" + rec.at("/id").asLong() + "/media")),
                "Authorization", "Bearer " + ch.ownerToken())).body());
        JsonNode rp = Ffprobe.probe(recFile);
        JsonNode recVideo = Ffprobe.stream(rp, "video");
        assertThat(recVideo.at("/codec_name").asText()).isEqualTo(x.name());
        assertThat(recVideo.at("/codec_tag_string").asText()).isEqualTo(x.tag());
        assertThat(recVideo.at("/width").asInt()).isEqualTo(640);
        assertThat(Ffprobe.stream(rp, "audio").at("/codec_name").asText()).isEqualTo("aac");
        assertThat(rp.at("/format/duration").asDouble()).as("recorded seconds").isGreaterThan(4.0);
        assertThat(recVideo.at("/nb_read_frames").asDouble()).as("frames decoded from the recording")
                .isCloseTo(30 * rp.at("/format/duration").asDouble(), within(0.15 * 30 * rp.at("/format/duration").asDouble()));
    }
}
