package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.db.ViewerSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The HLS fallback end to end: bundled FFmpeg publishes a known 1280x720 30 fps H.264 + Opus test pattern over WHIP;
 * the node's tap makes the ladder (the source passed through, 480p and 360p encoded) and records the broadcast.
 * Every rendition decodes with ffprobe to the right codec, size, frame rate, audio and duration; Chromium plays the
 * master playlist with hls.js and counts as a viewer; after the broadcast stops the recording decodes, lasts as long as
 * the broadcast, and a clip cut from it lasts as asked (give or take one GOP).
 */
@Tag("integration")
@Timeout(300)
class HlsLadderEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--hls-ladder", "source,720p,480p,360p", "--hls-source", "copy");
    static Chromium browser;
    static MediaNode media;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
    }

    private URI uri(String path) { return URI.create(media.node.url(path)); }

    @Test
    void anFfmpegBroadcastGetsADecodableLadderThatHlsJsPlaysAndARecordingWithClips() throws Exception {
        Timeline t = new Timeline("hls ladder");
        MediaNode.Channel ch = media.createChannel("ladder");
        URI masterUri = uri("/hls/" + ch.slug() + "/master.m3u8");
        double cpuStart;
        long cpuStartNanos;
        Instant publisherStarted = Instant.now();
        Instant stopped;
        double sentByFfmpeg;
        try (FfmpegPublisher ff = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 1280, 720, 120)) {
            // 1. The master playlist: the source as sent, and the rungs below it, with codecs, bandwidth and size.
            String master = HlsHttp.awaitOk(masterUri, Duration.ofSeconds(60), ff::diagnostics);
            t.mark("master playlist served");
            List<HlsHttp.Variant> variants = HlsHttp.variants(masterUri, master);
            assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source", "480p", "360p");
            assertThat(variants).extracting(HlsHttp.Variant::resolution).containsExactly("1280x720", "854x480", "640x360");
            assertThat(variants.get(0).codecs()).matches("avc1\\.42[0-9a-f]{4},mp4a\\.40\\.2");
            assertThat(variants.get(1).codecs()).matches("avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2");
            assertThat(variants).allSatisfy(v -> assertThat(v.bandwidth()).isGreaterThan(300_000));
            assertThat(variants.get(0).bandwidth()).isGreaterThan(variants.get(1).bandwidth());
            assertThat(variants.get(1).bandwidth()).isGreaterThan(variants.get(2).bandwidth());
            cpuStart = HlsHttp.cpuSeconds("hls-tap");
            cpuStartNanos = System.nanoTime();

            // 2. Each rendition's playlist and segments decode to what the master says.
            for (HlsHttp.Variant v : variants) {
                String playlist = HlsHttp.awaitSegments(v.uri(), 5, Duration.ofSeconds(30), ff::diagnostics); // past the start, when the tap may still be catching up
                List<HlsHttp.Segment> segs = HlsHttp.segments(v.uri(), playlist);
                assertThat(playlist).contains("#EXT-X-VERSION:7");
                int target = Integer.parseInt(playlist.replaceAll("(?s).*#EXT-X-TARGETDURATION:(\\d+).*", "$1"));
                // 2 s segments. One runs longer only when the node could not keep up (the tap then pauses its encoded
                // renditions) or a keyframe of the publisher's was lost, so most, not all, must be 2 s.
                assertThat(target).as("target duration").isBetween(2, 8);
                assertThat(segs.stream().filter(s -> Math.abs(s.duration() - 2.0) <= 0.1).count()).as(v.name() + " 2 s segments in " + playlist)
                        .isGreaterThanOrEqualTo((segs.size() + 1) / 2);
                // The latest two segments made at full rate. On a machine short of CPU the tap sheds work (encoded
                // renditions at half the frame rate, docs/hls.md) until it catches up: then later segments are probed.
                long fullRateDeadline = System.nanoTime() + 60_000_000_000L;
                List<HlsHttp.Segment> last;
                JsonNode probe;
                int attempts = 0;
                while (true) {
                    attempts++;
                    last = segs.subList(segs.size() - 2, segs.size());
                    probe = Ffprobe.probe(HlsHttp.download(HlsHttp.map(v.uri(), playlist), last, tmp.resolve(v.name() + attempts + ".mp4")));
                    if (Math.abs(Ffprobe.frameRate(Ffprobe.stream(probe, "video")) - 30.0) <= 1.0 || System.nanoTime() > fullRateDeadline) break;
                    URI newest = last.getLast().uri();
                    while (HlsHttp.segments(v.uri(), playlist).getLast().uri().equals(newest) && System.nanoTime() < fullRateDeadline) {
                        Thread.sleep(500);
                        playlist = HlsHttp.text(HlsHttp.ok(HlsHttp.get(v.uri())));
                    }
                    segs = HlsHttp.segments(v.uri(), playlist);
                }
                if (attempts > 1) t.mark(v.name() + ": full-rate segments after " + attempts + " probes (the tap was shedding work)");
                JsonNode video = Ffprobe.stream(probe, "video");
                JsonNode audio = Ffprobe.stream(probe, "audio");
                String[] size = v.resolution().split("x");
                assertThat(video.at("/codec_name").asText()).isEqualTo("h264");
                assertThat(video.at("/width").asInt()).isEqualTo(Integer.parseInt(size[0]));
                assertThat(video.at("/height").asInt()).isEqualTo(Integer.parseInt(size[1]));
                assertThat(Ffprobe.frameRate(video)).as(v.name() + " frame rate").isCloseTo(30.0, within(1.0));
                double seconds = last.stream().mapToDouble(HlsHttp.Segment::duration).sum();
                assertThat(video.at("/nb_read_frames").asDouble()).as(v.name() + " frames").isCloseTo(30 * seconds, within(3.0 * seconds));
                assertThat(audio).as(v.name() + " has audio").isNotNull();
                assertThat(audio.at("/codec_name").asText()).isEqualTo("aac");
                // Segments carry their timeline position (tfdt), so the file starts where the first one does.
                double decoded = probe.at("/format/duration").asDouble() - probe.at("/format/start_time").asDouble();
                assertThat(decoded).as(v.name() + " duration").isCloseTo(seconds, within(0.15));
                // A segment's URI names the broadcast: it never changes meaning, so caches may keep it.
                HttpResponse<byte[]> seg = HlsHttp.get(last.getFirst().uri());
                assertThat(seg.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
                assertThat(seg.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            }
            t.mark("renditions probed");

            // 3. Chromium plays the master playlist with hls.js, and counts as a viewer.
            HlsPlayer player = HlsPlayer.open(browser);
            JsonNode mse = player.play(masterUri.toString(), Map.of());
            assertThat(mse.at("/h264").asBoolean() && mse.at("/aac").asBoolean()).as("Chromium's MSE plays H.264 and AAC: " + mse).isTrue();
            JsonNode first = Eventually.await("hls.js plays", Duration.ofSeconds(40), player::stats,
                    s -> s.at("/currentTime").asDouble() > 1.0, () -> player.diagnostics() + "\n" + ff.diagnostics());
            double at = first.at("/currentTime").asDouble();
            JsonNode later = Eventually.await("playback advances 3 s more", Duration.ofSeconds(30), player::stats,
                    s -> s.at("/currentTime").asDouble() > at + 3.0, player::diagnostics);
            assertThat(later.at("/levels")).hasSize(3);
            assertThat(later.at("/errors").toString()).doesNotContain("fatal=true");
            t.mark("hls.js played " + later.at("/currentTime").asDouble() + " s at level " + later.at("/level").asInt());
            Eventually.await("the HLS player counts in viewerCount", Duration.ofSeconds(20),
                    () -> media.node.get("/api/channels/" + ch.slug(), null).json(), c -> c.at("/viewerCount").asInt() >= 1, () -> "");
            JsonNode channel = media.node.get("/api/channels/" + ch.slug(), null).json();
            assertThat(channel.at("/thumbnailUrl").asText()).isEqualTo("/hls/" + ch.slug() + "/thumbnail.jpg");
            HttpResponse<byte[]> thumb = HlsHttp.ok(HlsHttp.get(uri(channel.at("/thumbnailUrl").asText())));
            assertThat(thumb.headers().firstValue("Content-Type")).contains("image/jpeg");
            assertThat(thumb.body().length).isGreaterThan(2000);
            assertThat(thumb.body()[0] & 0xFF).isEqualTo(0xFF);
            assertThat(thumb.body()[1] & 0xFF).isEqualTo(0xD8);

            // CPU of the ladder (tap thread and x264's threads) while all of the above ran.
            double cores = (HlsHttp.cpuSeconds("hls-tap") - cpuStart) / ((System.nanoTime() - cpuStartNanos) / 1e9);
            System.out.printf("%nMEASURE hls ladder (source passed through + 480p + 360p from 1280x720 30 fps, veryfast): %.2f cores%n", cores);
            player.stop();

            // 4. The owner stops the broadcast.
            assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
            stopped = Instant.now();
            sentByFfmpeg = ff.mediaSecondsSent();
            t.mark("broadcast stopped");
        }
        JsonNode session = Eventually.await("the broadcast's session has ended", Duration.ofSeconds(15),
                () -> media.node.get("/api/channels/" + ch.slug() + "/sessions", null).json().at("/items/0"),
                s -> !s.at("/endedAt").isNull() && !s.at("/endedAt").isMissingNode(), () -> "");
        double broadcast = Duration.between(Instant.parse(session.at("/startedAt").asText()), Instant.parse(session.at("/endedAt").asText())).toMillis() / 1000.0;

        // 5. The recording: a draft, as long as the broadcast, that decodes; HLS VOD and MP4 playback.
        JsonNode rec = Eventually.await("the recording is registered", Duration.ofSeconds(20),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() == 1, () -> "").at("/items/0");
        t.mark("recording " + rec.at("/id").asLong() + ": " + rec.at("/duration").asDouble() + " s of a " + broadcast + " s broadcast");
        assertThat(rec.at("/published").asBoolean()).isFalse();
        assertThat(rec.at("/status").asText()).isEqualTo("ready");
        // The broadcast as the publisher sent it: FFmpeg makes frames from its start and sends those it made during the
        // WHIP handshake in a burst once connected, so its media starts up to a second or so before the channel went
        // live (the session's start). The recording holds all of it. What FFmpeg sent is its own progress (time=, every
        // 0.5 s), not the wall clock since its launch: on a machine too busy for its 720p encode to keep real time
        // (seen at load 16 with a CPU hog) it sends less media than the seconds that pass.
        double wall = Duration.between(publisherStarted, stopped).toMillis() / 1000.0;
        assertThat(sentByFfmpeg).as("FFmpeg's progress at the stop (%s s of wall clock)", wall).isBetween(1.0, wall + 0.5);
        assertThat(rec.at("/duration").asDouble()).as("recording vs what the publisher sent (%s s by FFmpeg's progress, %s s of wall clock)", sentByFfmpeg, wall)
                .isCloseTo(sentByFfmpeg, within(1.0));
        // The live session is wall clock too: it is shorter than the recording by the burst above, and longer by
        // however far the publisher fell behind real time.
        double publisherLag = Math.max(0, wall - sentByFfmpeg);
        assertThat(rec.at("/duration").asDouble()).as("recording vs the live session (publisher %s s behind)", publisherLag)
                .isGreaterThan(broadcast - 1.0 - publisherLag);
        assertThat(media.node.get("/api/recordings?channel=" + ch.slug(), null).json().at("/items")).as("drafts are private").isEmpty();
        long id = rec.at("/id").asLong();
        Path recFile = tmp.resolve("recording.mp4");
        Files.write(recFile, HlsHttp.ok(HlsHttp.get(uri("/api/recordings/" + id + "/media"), "Authorization", "Bearer " + ch.ownerToken())).body());
        JsonNode rp = Ffprobe.probe(recFile);
        assertThat(Ffprobe.stream(rp, "video").at("/codec_name").asText()).isEqualTo("h264");
        assertThat(Ffprobe.stream(rp, "video").at("/width").asInt()).isEqualTo(1280);
        assertThat(Ffprobe.stream(rp, "audio").at("/codec_name").asText()).isEqualTo("opus");
        assertThat(rp.at("/format/duration").asDouble()).isCloseTo(rec.at("/duration").asDouble(), within(0.5));
        HttpResponse<byte[]> range = HlsHttp.get(uri("/api/recordings/" + id + "/media"), "Authorization", "Bearer " + ch.ownerToken(),
                "Range", "bytes=100-199");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).hasSize(100);
        String vod = HlsHttp.text(HlsHttp.ok(HlsHttp.get(uri("/api/recordings/" + id + "/playlist.m3u8"), "Authorization", "Bearer " + ch.ownerToken())));
        assertThat(vod).contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("#EXT-X-BYTERANGE:").endsWith("#EXT-X-ENDLIST\n");

        // 6. A clip from 4 s to 9 s: cut at the keyframe at or before 4 s (a GOP is 1 s), so 5 s, plus at most a GOP.
        TestNode.Response clip = media.node.post("/api/recordings/" + id + "/clips", ch.ownerToken(), Map.of("start", 4, "end", 9, "title", "Five seconds"));
        assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        assertThat(clip.json().at("/duration").asDouble()).isBetween(4.9, 6.1);
        assertThat(clip.json().at("/parentId").asLong()).isEqualTo(id);
        Path clipFile = tmp.resolve("clip.mp4");
        Files.write(clipFile, HlsHttp.ok(HlsHttp.get(uri("/api/recordings/" + clip.json().at("/id").asLong() + "/media"),
                "Authorization", "Bearer " + ch.ownerToken())).body());
        assertThat(Ffprobe.probe(clipFile).at("/format/duration").asDouble()).isBetween(4.9, 6.1);

        // 7. The HLS viewer's watch time was recorded like a WHEP viewer's.
        List<ViewerSession> views = media.node.server.database().viewerSessions().listForChannel(ch.id(), Instant.EPOCH, 10);
        assertThat(views).anySatisfy(v -> {
            assertThat(v.protocol()).isEqualTo("hls");
            assertThat(v.endedAt()).isNotNull();
        });
        t.mark("done");
    }

    @Test
    void aPublisherThatReconnectsWithinTheGracePeriodContinuesTheSamePlaylistsAfterADiscontinuity() throws Exception {
        Timeline t = new Timeline("hls reconnect");
        MediaNode.Channel ch = media.createChannel("reconnect");
        URI masterUri = uri("/hls/" + ch.slug() + "/master.m3u8");
        List<HlsHttp.Variant> variants;
        try (FfmpegPublisher first = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 854, 480, 60)) {
            variants = HlsHttp.variants(masterUri, HlsHttp.awaitOk(masterUri, Duration.ofSeconds(60), first::diagnostics));
            assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source", "360p");
            for (HlsHttp.Variant v : variants) HlsHttp.awaitSegments(v.uri(), 2, Duration.ofSeconds(30), first::diagnostics);
            t.mark("first publisher on air");
        } // FFmpeg ends its session: the channel waits --publisher-grace (10 s) for its publisher
        try (FfmpegPublisher second = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 854, 480, 60)) {
            for (HlsHttp.Variant v : variants) {
                // The same playlist URIs (the same broadcast) go on after a discontinuity, with a new initialization segment.
                String body = awaitAfterDiscontinuity(v.uri(), 2, second::diagnostics);
                String before = body.substring(0, body.lastIndexOf("#EXT-X-DISCONTINUITY\n"));
                String after = body.substring(body.lastIndexOf("#EXT-X-DISCONTINUITY\n"));
                assertThat(HlsHttp.segments(v.uri(), before)).as(v.name() + " keeps the first publisher's segments").isNotEmpty();
                List<HlsHttp.Segment> segs = HlsHttp.segments(v.uri(), after);
                assertThat(HlsHttp.map(v.uri(), after)).as(v.name() + " new init segment").isNotEqualTo(HlsHttp.map(v.uri(), before));
                JsonNode probe = Ffprobe.probe(HlsHttp.download(HlsHttp.map(v.uri(), after), segs, tmp.resolve("after-" + v.name() + ".mp4")));
                assertThat(Ffprobe.stream(probe, "video").at("/codec_name").asText()).isEqualTo("h264");
                assertThat(Ffprobe.stream(probe, "video").at("/width").asInt() + "x" + Ffprobe.stream(probe, "video").at("/height").asInt())
                        .isEqualTo(v.resolution());
                assertThat(Ffprobe.stream(probe, "audio")).as(v.name() + " audio after the reconnect").isNotNull();
            }
            // (The query is each request's own viewer token.)
            assertThat(HlsHttp.variants(masterUri, HlsHttp.text(HlsHttp.ok(HlsHttp.get(masterUri)))))
                    .extracting(v -> v.uri().getPath()).as("the master playlist is the same broadcast's")
                    .containsExactlyElementsOf(variants.stream().map(v -> v.uri().getPath()).toList());
            t.mark("playlists continued after the discontinuity");
            assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
        }
        // One broadcast, one recording, across the reconnect.
        JsonNode recs = Eventually.await("the recording is registered", Duration.ofSeconds(20),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() >= 1, () -> "");
        assertThat(recs.at("/items")).hasSize(1);
        t.mark("one recording of " + recs.at("/items/0/duration").asDouble() + " s");
    }

    private String awaitAfterDiscontinuity(URI playlist, int n, java.util.function.Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = HlsHttp.get(playlist);
            body = HlsHttp.text(r);
            int at = body.lastIndexOf("#EXT-X-DISCONTINUITY\n");
            if (r.statusCode() == 200 && at >= 0 && HlsHttp.segments(playlist, body.substring(at)).size() >= n) return body;
            Thread.sleep(250);
        }
        throw new AssertionError(playlist + " never had " + n + " segments after a discontinuity:\n" + body + "\n" + diagnostics.get());
    }
}
