package live.cascade.api.media;

import static live.cascade.api.media.Viewer.audioPackets;
import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23 end to end: the bundled FFmpeg publishes H.264 + AAC over RTMP ({@code -f flv rtmp://127.0.0.1:PORT/live/KEY})
 * to a node whose RTMP listener took a free port, and Chromium plays the channel over WHEP: the H.264 went through the
 * node's FLV → RTP packetizer, the AAC through its Opus transcode. A wrong key is refused; x264's default B-frames are
 * detected and the creator told (stream health, /metrics). The same over SRT ({@code -f mpegts
 * srt://127.0.0.1:PORT?streamid=KEY}): the key is checked beside SRT's handshake (a wrong key tried again is rejected
 * in it), the TS demuxed by FFmpeg into the same path.
 */
@Tag("integration")
@Timeout(180)
class RtmpIngestEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--rtmp-port", "0", "--srt-port", "0", "--publisher-grace", "2s");
    static Chromium browser;
    static MediaNode media;
    static int port;
    static int srtPort;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
        port = bed.node().server.media().rtmp().port().orElseThrow();
        srtPort = bed.node().server.media().rtmp().srtPort().orElseThrow();
    }

    /**
     * Plays the channel over WHEP (retrying while it answers 409, not live yet) until Chromium has decoded 60 frames
     * of the {@code protocol} publish and received its audio as Opus; returns those stats.
     */
    static JsonNode playsSixtyFramesAndOpus(Viewer viewer, Channel channel, FfmpegPublisher ffmpeg, String protocol) {
        try {
            viewer.play(channel.whepUrl(), false);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + ffmpeg.diagnostics(), e);
        }
        return Eventually.await("Chromium has decoded 60 frames of the " + protocol + " publish and received its audio as Opus",
                viewer::stats, x -> framesDecoded(x) >= 60 && audioPackets(x) > 20,
                () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
    }

    static String rtmpUrl(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    @Test
    void chromiumPlaysOverWhepWhatFfmpegPublishesOverRtmp() {
        Channel channel = media.createChannel("rtmp");
        long started = System.nanoTime();
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp(rtmpUrl(channel.streamKey()), 0, 90)) {
            Viewer viewer = Viewer.open(browser);
            JsonNode s = playsSixtyFramesAndOpus(viewer, channel, ffmpeg, "RTMP");
            System.out.printf("[media] RTMP publish start -> 60 frames decoded over WHEP: %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            WhipWhepBrowserTest.printFirstFrame("viewer of an RTMP publish", s);
            assertThat(s.at("/pc/inbound/video/codec").asText()).as("video codec").isEqualToIgnoringCase("video/H264");
            assertThat(s.at("/pc/inbound/audio/codec").asText()).as("audio codec").isEqualToIgnoringCase("audio/opus");
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).isEqualTo(640);
            assertThat(s.at("/pc/inbound/video/frameHeight").asInt()).isEqualTo(360);
            long samples = s.at("/pc/inbound/audio/totalSamplesReceived").asLong();
            Eventually.await("the Opus keeps decoding (totalSamplesReceived grows)", viewer::stats,
                    x -> x.at("/pc/inbound/audio/totalSamplesReceived").asLong() > samples + 48_000,
                    () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());

            JsonNode health = media.node.get("/api/channels/" + channel.slug() + "/stream/health", channel.ownerToken()).json();
            assertThat(health.at("/state").asText()).isEqualTo("live");
            assertThat(health.at("/ingest/protocol").asText()).isEqualTo("rtmp");
            assertThat(health.at("/ingest/video").asText()).startsWith("H264 (profile-level-id ");
            assertThat(health.at("/ingest/audio").asText()).isEqualTo("AAC → Opus");
            assertThat(health.at("/ingest/warnings").size()).as("no B-frames with -bf 0").isZero();
            assertThat(ffmpeg.isAlive()).as("ffmpeg still publishing\n%s", ffmpeg.diagnostics()).isTrue();
            assertThat(viewer.stop()).isBetween(200, 299);
        }
        assertThat(metric("cascade_rtmp_publishes_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWrongStreamKeyIsRefusedAndCounted() throws InterruptedException {
        double before = metric("cascade_rtmp_refused_total\\{reason=\"UNKNOWN_KEY\"\\}");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp(rtmpUrl("not-a-stream-key"), 0, 30)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ffmpeg.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(ffmpeg.isAlive()).as("ffmpeg gave up after the refusal\n%s", ffmpeg.diagnostics()).isFalse();
        }
        assertThat(metric("cascade_rtmp_refused_total\\{reason=\"UNKNOWN_KEY\"\\}")).isEqualTo(before + 1);
    }

    @Test
    void bFramesAreDetectedAndTheCreatorIsToldHowToTurnThemOff() {
        Channel channel = media.createChannel("rtmpbf");
        double before = metric("cascade_ingest_bframe_publishes_total");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.rtmp(rtmpUrl(channel.streamKey()), 3, 60)) {
            String path = "/api/channels/" + channel.slug() + "/stream/health";
            JsonNode health = Eventually.await("stream health names the B-frames", () -> {
                        TestNode.Response r = media.node.get(path, channel.ownerToken());
                        return r.status() == 200 ? r.json() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
                    }, h -> h.at("/ingest/warnings").size() > 0, ffmpeg::diagnostics);
            assertThat(health.at("/ingest/warnings/0").asText()).contains("B-frames").contains("bframes=0").contains("-bf 0");
        }
        assertThat(metric("cascade_ingest_bframe_publishes_total")).isEqualTo(before + 1);
    }

    @Test
    void chromiumPlaysOverWhepWhatFfmpegPublishesOverSrt() {
        Channel channel = media.createChannel("srt");
        long started = System.nanoTime();
        String url = "srt://127.0.0.1:" + srtPort + "?streamid=%23!::r=live/" + channel.streamKey() + ",m=publish";
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.srt(url, 90)) {
            Viewer viewer = Viewer.open(browser);
            JsonNode s = playsSixtyFramesAndOpus(viewer, channel, ffmpeg, "SRT");
            System.out.printf("[media] SRT publish start -> 60 frames decoded over WHEP: %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            WhipWhepBrowserTest.printFirstFrame("viewer of an SRT publish", s);
            assertThat(s.at("/pc/inbound/video/codec").asText()).as("video codec").isEqualToIgnoringCase("video/H264");
            assertThat(s.at("/pc/inbound/audio/codec").asText()).as("audio codec").isEqualToIgnoringCase("audio/opus");
            assertThat(s.at("/pc/inbound/video/frameWidth").asInt()).isEqualTo(640);
            long samples = s.at("/pc/inbound/audio/totalSamplesReceived").asLong();
            Eventually.await("the Opus keeps decoding (totalSamplesReceived grows)", viewer::stats,
                    x -> x.at("/pc/inbound/audio/totalSamplesReceived").asLong() > samples + 48_000,
                    () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            JsonNode health = media.node.get("/api/channels/" + channel.slug() + "/stream/health", channel.ownerToken()).json();
            assertThat(health.at("/state").asText()).isEqualTo("live");
            assertThat(health.at("/ingest/protocol").asText()).isEqualTo("srt");
            assertThat(health.at("/ingest/audio").asText()).isEqualTo("AAC → Opus");
            assertThat(viewer.stop()).isBetween(200, 299);
        }
        assertThat(metric("cascade_srt_publishes_total")).isGreaterThanOrEqualTo(1);
        JsonNode keys = media.node.get("/api/channels/" + channel.slug() + "/stream-key", channel.ownerToken()).json();
        assertThat(keys.at("/srtPort").asInt()).as("the studio is told the SRT port").isEqualTo(srtPort);
    }

    @Test
    void aWrongSrtKeyIsRefusedAndCountedAndTryingItAgainIsRejectedInTheHandshake() throws InterruptedException {
        double before = metric("cascade_srt_refused_total\\{reason=\"UNKNOWN_KEY\"\\}");
        // The first check may take longer than the handshake waits (SrtServer.HANDSHAKE_CHECK_MS): then the caller is
        // let in and its connection closed on the answer. Either way FFmpeg gives up and the refusal is counted.
        refusedSrt(false);
        assertThat(metric("cascade_srt_refused_total\\{reason=\"UNKNOWN_KEY\"\\}")).isEqualTo(before + 1);
        // The node remembers that the key names no channel: the second try is rejected in the handshake.
        refusedSrt(true);
        assertThat(metric("cascade_srt_refused_total\\{reason=\"UNKNOWN_KEY\"\\}")).isEqualTo(before + 2);
    }

    private static void refusedSrt(boolean inTheHandshake) throws InterruptedException {
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.srt("srt://127.0.0.1:" + srtPort + "?streamid=not-a-stream-key", 30)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ffmpeg.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(ffmpeg.isAlive()).as("ffmpeg gave up after the refusal\n%s", ffmpeg.diagnostics()).isFalse();
            if (inTheHandshake) assertThat(ffmpeg.diagnostics()).containsIgnoringCase("reject");
        }
    }

    /**
     * Restreaming out: channel A restreams to this node's own RTMP ingest with channel B's key, and B plays in Chromium
     * ({@link RestreamScenario}). This node records (the default), so A's tap also writes a recording;
     * {@link RestreamWithoutHlsEndToEndTest} runs the same with HLS and recordings off.
     */
    @Test
    void aBroadcastIsRestreamedToAnotherRtmpServerAndPlaysThere() {
        RestreamScenario.run(media, browser, port, () -> { });
    }

    static double metric(String nameRegex) {
        String text = media.node.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^" + nameRegex + "\\s+(\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
