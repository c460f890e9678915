package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chromium publishes VP8 (a 640x360 canvas showing the wall clock): the HLS ladder re-encodes everything to H.264 (here
 * {@code source,360p,240p}: the source at its own size, and 240p below it; 360p is the source's size, so it is left
 * out), the recording is WebM, and hls.js in another page plays the master playlist. Reading the clock off the frames
 * hls.js presents gives the HLS glass-to-glass latency, printed with the player settings used.
 */
@Tag("integration")
@Timeout(150)
class HlsVp8BrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--hls-ladder", "source,360p,240p");
    static Chromium browser;
    static MediaNode media;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
    }

    @Test
    void aVp8PublisherGetsAnH264LadderAndHlsJsLatencyIsMeasured() throws Exception {
        Timeline t = new Timeline("hls vp8");
        MediaNode.Channel ch = media.createChannel("vp8hls");
        TestPage pub = browser.openTestPage("vp8-publisher.html", "vp8Publisher");
        pub.call("a => window.vp8Publisher.publish(a)", Map.of("whipUrl", ch.whipUrl(), "key", ch.streamKey()));
        URI master = URI.create(media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        String body = awaitMaster(master, pub);
        t.mark("master playlist served");
        List<HlsHttp.Variant> variants = HlsHttp.variants(master, body);
        assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source", "240p");
        assertThat(variants.get(1).resolution()).endsWith("x240");
        assertThat(variants).allSatisfy(v -> assertThat(v.codecs()).startsWith("avc1.").endsWith(",mp4a.40.2"));
        for (HlsHttp.Variant v : variants) {
            String playlist = HlsHttp.text(HlsHttp.ok(HlsHttp.get(v.uri())));
            List<HlsHttp.Segment> segs = HlsHttp.segments(v.uri(), playlist);
            JsonNode probe = Ffprobe.probe(HlsHttp.download(HlsHttp.map(v.uri(), playlist), segs.subList(segs.size() - 1, segs.size()),
                    tmp.resolve("vp8-" + v.name() + ".mp4")));
            assertThat(Ffprobe.stream(probe, "video").at("/codec_name").asText()).as("VP8 re-encoded").isEqualTo("h264");
            assertThat(Ffprobe.stream(probe, "audio").at("/codec_name").asText()).isEqualTo("aac");
            assertThat(v.resolution()).isEqualTo(Ffprobe.stream(probe, "video").at("/width").asInt() + "x"
                    + Ffprobe.stream(probe, "video").at("/height").asInt());
        }

        // hls.js, tuned for latency as docs/hls.md suggests: one target duration behind the live edge.
        HlsPlayer player = HlsPlayer.open(browser);
        player.play(master.toString(), Map.of("liveSyncDurationCount", 1, "liveMaxLatencyDurationCount", 4,
                "maxLiveSyncPlaybackRate", 1.2, "backBufferLength", 10));
        JsonNode playing = Eventually.await("hls.js plays the VP8 broadcast's ladder", Duration.ofSeconds(40), player::stats,
                s -> s.at("/currentTime").asDouble() > 2.0 && s.at("/clockSamples").asInt() > 10, player::diagnostics);
        t.mark("playing at " + playing.at("/currentTime").asDouble());
        player.drainClockSamples();
        List<Long> ages = new ArrayList<>();
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until) {
            Thread.sleep(1000);
            ages.addAll(player.drainClockSamples());
        }
        JsonNode last = player.stats();
        assertThat(ages.size()).as("frames whose clock read back (unreadable: %d)", last.at("/clockUnreadable").asLong()).isGreaterThan(100);
        Collections.sort(ages);
        long median = ages.get(ages.size() / 2);
        long p95 = ages.get(ages.size() * 95 / 100);
        System.out.printf("%nMEASURE HLS glass-to-glass latency in hls.js (VP8 640x360 re-encoded, 2 s segments, liveSyncDurationCount=1): "
                + "median %d ms, p95 %d ms, min %d ms over %d frames; hls.js latency estimate %.2f s%n",
                median, p95, ages.getFirst(), ages.size(), last.at("/latency").asDouble());
        assertThat(last.at("/errors").toString()).doesNotContain("fatal=true");
        player.stop();
        pub.call("() => window.vp8Publisher.stop()", null);
        assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isIn(204, 409);

        JsonNode rec = Eventually.await("the WebM recording is registered", Duration.ofSeconds(30),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() == 1, () -> "").at("/items/0");
        assertThat(rec.at("/container").asText()).isEqualTo("webm");
        assertThat(rec.at("/videoCodec").asText()).isEqualTo("vp8");
        assertThat(rec.has("playlistUrl")).as("no HLS VOD for WebM").isFalse();
        t.mark("recording " + rec.at("/duration").asDouble() + " s");
    }

    private static String awaitMaster(URI master, TestPage publisher) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = HlsHttp.get(master);
            if (r.statusCode() == 200) return HlsHttp.text(r);
            last = r.statusCode() + " " + HlsHttp.text(r);
            Thread.sleep(250);
        }
        throw new AssertionError("no master playlist: " + last + "\npublisher: " + publisher.call("() => window.vp8Publisher.stats()", null)
                + "\n" + publisher.consoleTail());
    }
}
