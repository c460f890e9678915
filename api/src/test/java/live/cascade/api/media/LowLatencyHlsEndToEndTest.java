package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Low-latency HLS end to end: bundled FFmpeg publishes 1280x720 30 fps H.264 + Opus over WHIP, the node's tap makes the
 * ladder with parts (default 333 ms), and the playlists follow the LL-HLS rules: tags present, parts within the
 * target, media sequence and part numbers in order across segment boundaries, blocking reloads that return the awaited
 * part, 400 for a request far ahead, delta updates, a preload-hinted part streamed while it is written, parts that add
 * up to the segment files legacy players fetch. Then Chromium plays it with hls.js in low-latency mode.
 */
@Tag("integration")
@Timeout(200)
class LowLatencyHlsEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--hls-ladder", "source,360p", "--hls-source", "copy");
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
    void theLadderIsPublishedInPartsWithBlockingReloadsAndHlsJsPlaysItInLowLatencyMode() throws Exception {
        Timeline t = new Timeline("ll-hls");
        MediaNode.Channel ch = media.createChannel("llhls");
        URI masterUri = URI.create(media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        try (FfmpegPublisher ff = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 1280, 720, 150)) {
            String master = HlsHttp.text(until("the master playlist", Duration.ofSeconds(60), () -> HlsHttp.get(masterUri),
                    r -> r.statusCode() == 200, ff::diagnostics));
            List<HlsHttp.Variant> variants = HlsHttp.variants(masterUri, master);
            assertThat(variants).extracting(HlsHttp.Variant::name).containsExactly("source", "360p");
            URI source = variants.getFirst().uri();
            t.mark("master served");

            // 1. The playlist's LL-HLS tags, and the full segments legacy players use.
            HttpResponse<byte[]> first = HlsHttp.ok(HlsHttp.get(source));
            assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
            LlHlsPlaylist pl = LlHlsPlaylist.parse(HlsHttp.text(first));
            assertThat(pl.text()).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES").contains("#EXT-X-MAP:URI=\"init-0.mp4\"");
            assertThat(pl.partTarget()).isEqualTo(0.333);
            assertThat(pl.partHoldBack()).as("PART-HOLD-BACK").isGreaterThanOrEqualTo(3 * 0.333);
            assertThat(pl.canSkipUntil()).as("CAN-SKIP-UNTIL").isGreaterThanOrEqualTo(6.0 * pl.targetDuration());
            assertThat(pl.preloadHint()).as("preload hint").matches("\\d+\\.\\d+\\.m4s");
            assertThat(pl.text()).containsPattern("#EXT-X-RENDITION-REPORT:URI=\"\\.\\./360p/index\\.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+");
            assertThat(pl.parts()).isNotEmpty();
            assertThat(pl.parts().getFirst().independent()).isTrue();

            // 2. Follow the live edge with blocking reloads: each returns the part it waited for, in order, across
            //    segment boundaries; parts stay within the target.
            List<long[]> seen = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            long firstMsn = pl.nextMsn();
            while (seen.size() < 24) {
                long[] next = pl.nextPart();
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = HlsHttp.ok(HlsHttp.get(URI.create(source + "&_HLS_msn=" + next[0] + "&_HLS_part=" + next[1])));
                waits.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(r.headers().firstValue("Cache-Control").orElse("")).as("a blocking response may be cached briefly").startsWith("public, max-age=");
                LlHlsPlaylist after = LlHlsPlaylist.parse(HlsHttp.text(r));
                LlHlsPlaylist.PartRef got = after.parts().stream().filter(p -> p.msn() == next[0] && p.index() == next[1]).findFirst()
                        .orElseGet(() -> after.parts().stream().filter(p -> p.msn() == next[0] + 1 && p.index() == 0).findFirst().orElse(null));
                assertThat(got).as("the awaited part " + next[0] + "." + next[1] + " (or the next segment's first) is in\n" + after.text()).isNotNull();
                assertThat(got.uri()).isEqualTo(got.msn() + "." + got.index() + ".m4s");
                if (got.msn() != next[0]) {
                    // The segment ended: it is listed complete, and the new one starts with an independent part.
                    assertThat(after.segments()).extracting(LlHlsPlaylist.Seg::msn).contains(next[0]);
                    assertThat(got.independent()).isTrue();
                }
                seen.add(new long[]{got.msn(), got.index()});
                checkParts(after);
                pl = after;
            }
            for (int i = 1; i < seen.size(); i++) {
                long[] a = seen.get(i - 1);
                long[] b = seen.get(i);
                boolean nextInSegment = b[0] == a[0] && b[1] == a[1] + 1;
                boolean nextSegment = b[0] == a[0] + 1 && b[1] == 0;
                assertThat(nextInSegment || nextSegment).as("part " + b[0] + "." + b[1] + " follows " + a[0] + "." + a[1]).isTrue();
            }
            assertThat(seen.getLast()[0]).as("crossed segment boundaries").isGreaterThanOrEqualTo(firstMsn + 2);
            long median = waits.stream().sorted().toList().get(waits.size() / 2);
            t.mark("24 blocking reloads, median wait " + median + " ms: " + waits);
            assertThat(median).as("blocking reloads were held until the part existed").isBetween(100L, 1000L);

            // 3. Too far ahead: 400 with a reason; malformed directives too.
            long ahead = pl.nextMsn() + 5;
            HttpResponse<byte[]> far = HlsHttp.get(URI.create(source + "&_HLS_msn=" + ahead + "&_HLS_part=0"));
            assertThat(far.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(far.body()).at("/detail").asText()).contains("more than two segments ahead");
            assertThat(HlsHttp.get(URI.create(source + "&_HLS_part=1")).statusCode()).isEqualTo(400);

            // 4. A complete segment is its parts (legacy players and LL players get the same media) and decodes.
            // A fresh playlist, and its newest complete segment whose parts are listed: an older one's parts may slide
            // out of the playlist (404) while the test fetches them when the tap publishes in a burst.
            LlHlsPlaylist now = LlHlsPlaylist.parse(HlsHttp.text(HlsHttp.ok(HlsHttp.get(source))));
            LlHlsPlaylist.Seg whole = now.segments().stream().filter(s -> now.parts().stream().anyMatch(p -> p.msn() == s.msn()))
                    .reduce((a, b) -> b).orElseThrow();
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (LlHlsPlaylist.PartRef p : now.parts().stream().filter(p -> p.msn() == whole.msn()).toList()) {
                HttpResponse<byte[]> part = HlsHttp.ok(HlsHttp.get(source.resolve(p.uri())));
                assertThat(part.headers().firstValue("Cache-Control")).contains("public, max-age=86400, immutable");
                joined.writeBytes(part.body());
            }
            byte[] segment = HlsHttp.ok(HlsHttp.get(source.resolve(whole.uri()))).body();
            assertThat(java.util.Arrays.equals(joined.toByteArray(), segment)).as("segment " + whole.uri() + " is its parts").isTrue();
            Path file = tmp.resolve("segment.mp4");
            Files.write(file, HlsHttp.ok(HlsHttp.get(source.resolve("init-0.mp4"))).body());
            Files.write(file, segment, java.nio.file.StandardOpenOption.APPEND);
            JsonNode probe = Ffprobe.probe(file);
            assertThat(Ffprobe.stream(probe, "video").at("/width").asInt()).isEqualTo(1280);
            assertThat(Ffprobe.stream(probe, "audio").at("/codec_name").asText()).isEqualTo("aac");
            assertThat(Ffprobe.stream(probe, "video").at("/nb_read_frames").asDouble()).isCloseTo(30 * whole.duration(), within(2.0));

            // 5. The preload-hinted part is streamed while it is written: bytes arrive before the part is complete.
            //    On a loaded machine the tap sometimes catches up in a burst and writes a whole part at once, so a few
            //    parts are tried; each must come chunked and equal the finished part, and one must arrive over time.
            long spread = -1;
            for (int attempt = 0; attempt < 6 && spread < 100; attempt++) {
                LlHlsPlaylist fresh = LlHlsPlaylist.parse(HlsHttp.text(HlsHttp.ok(HlsHttp.get(source))));
                URI hinted = source.resolve(fresh.preloadHint());
                long h0 = System.nanoTime();
                HttpResponse<InputStream> streamed = HTTP.send(HttpRequest.newBuilder(hinted).timeout(Duration.ofSeconds(15)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(streamed.statusCode()).isEqualTo(200);
                assertThat(streamed.headers().firstValue("Content-Length")).as("chunked, not sized").isEmpty();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                long firstByte = -1;
                try (InputStream in = streamed.body()) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (firstByte < 0) firstByte = System.nanoTime();
                        got.write(buf, 0, n);
                    }
                }
                long lastByte = System.nanoTime();
                spread = Math.max(spread, (lastByte - firstByte) / 1_000_000);
                t.mark("hinted part " + fresh.preloadHint() + ": first bytes after " + (firstByte - h0) / 1_000_000 + " ms, complete after "
                        + (lastByte - h0) / 1_000_000 + " ms, " + got.size() + " bytes");
                byte[] complete = HlsHttp.ok(HlsHttp.get(hinted)).body();
                assertThat(java.util.Arrays.equals(got.toByteArray(), complete)).as("streamed bytes are the finished part").isTrue();
            }
            assertThat(spread).as("a hinted part arrived over time, as it was written").isGreaterThanOrEqualTo(100);

            // 6. Delta updates once the playlist is longer than the skip boundary.
            String delta = until("a delta update skips old segments", Duration.ofSeconds(40),
                    () -> HlsHttp.text(HlsHttp.ok(HlsHttp.get(URI.create(source + "&_HLS_skip=YES")))), s -> s.contains("#EXT-X-SKIP:"), () -> "");
            LlHlsPlaylist d = LlHlsPlaylist.parse(delta);
            LlHlsPlaylist full = LlHlsPlaylist.parse(HlsHttp.text(HlsHttp.ok(HlsHttp.get(source))));
            assertThat(delta).contains("#EXT-X-VERSION:9");
            assertThat(d.skipped()).isPositive();
            assertThat(d.segments().getFirst().msn()).isEqualTo(d.mediaSequence() + d.skipped());
            assertThat(full.segments().size()).isGreaterThan(d.segments().size());
            t.mark("delta update skips " + d.skipped() + " of " + full.segments().size() + " segments");

            // 7. Chromium plays the master playlist with hls.js in low-latency mode, loading parts.
            HlsPlayer player = HlsPlayer.open(browser);
            player.play(masterUri.toString(), Map.of("lowLatencyMode", true));
            JsonNode started = Eventually.await("hls.js plays", Duration.ofSeconds(40), player::stats,
                    s -> s.at("/currentTime").asDouble() > 1.0, () -> player.diagnostics() + "\n" + ff.diagnostics());
            double at = started.at("/currentTime").asDouble();
            JsonNode later = Eventually.await("playback advances 4 s more", Duration.ofSeconds(30), player::stats,
                    s -> s.at("/currentTime").asDouble() > at + 4.0, player::diagnostics);
            assertThat(later.at("/lowLatencyMode").asBoolean()).isTrue();
            assertThat(later.at("/parts").asInt()).as("hls.js loaded parts, not only segments: " + later).isGreaterThan(5);
            assertThat(later.at("/errors").toString()).doesNotContain("fatal=true");
            t.mark("hls.js low-latency mode: " + later.at("/currentTime").asDouble() + " s played, " + later.at("/parts").asInt()
                    + " parts, latency " + later.at("/latency").asDouble() + " s (target " + later.at("/targetLatency").asDouble() + ")");
            player.stop();

            // 8. The publisher freezes (SIGSTOP: no more media, but its session stays, so the broadcast does not end):
            //    a reload waiting for the next part is answered 503 after three target durations, not held forever.
            signal(ff.pid(), "STOP");
            try {
                Thread.sleep(1500); // what was in flight has been packaged
                LlHlsPlaylist last = LlHlsPlaylist.parse(HlsHttp.text(HlsHttp.ok(HlsHttp.get(source))));
                long[] next = last.nextPart();
                long w0 = System.nanoTime();
                HttpResponse<byte[]> stalled = HlsHttp.get(URI.create(source + "&_HLS_msn=" + next[0] + "&_HLS_part=" + (next[1] + 1)));
                long waited = (System.nanoTime() - w0) / 1_000_000;
                t.mark("a reload for a part that never came: " + stalled.statusCode() + " after " + waited + " ms");
                assertThat(stalled.statusCode()).as(HlsHttp.text(stalled)).isEqualTo(503);
                assertThat(stalled.headers().firstValue("Retry-After")).isPresent();
                assertThat(Json.MAPPER.readTree(stalled.body()).at("/detail").asText()).contains("was not made within");
                assertThat(waited).isBetween(5_000L, 9_000L);
            } finally {
                signal(ff.pid(), "CONT");
            }
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** The first value {@code get} gives that passes {@code done}, asked every 250 ms up to {@code timeout}. */
    static <T> T until(String what, Duration timeout, java.util.function.Supplier<T> get, java.util.function.Predicate<T> done,
                       java.util.function.Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = get.get();
            if (done.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError(what + " did not happen within " + timeout + "; last: " + last + "\n" + diagnostics.get());
    }

    /** Every listed part is within the part target, and all but a segment's last at least 85 % of it. */
    private static void checkParts(LlHlsPlaylist pl) {
        List<LlHlsPlaylist.PartRef> parts = pl.parts();
        for (int i = 0; i < parts.size(); i++) {
            LlHlsPlaylist.PartRef p = parts.get(i);
            assertThat(p.duration()).as("part " + p.uri() + " within PART-TARGET").isLessThanOrEqualTo(pl.partTarget());
            boolean lastOfSegment = i + 1 < parts.size() && parts.get(i + 1).msn() != p.msn();
            boolean lastListed = i + 1 == parts.size();
            if (!lastOfSegment && !lastListed) {
                assertThat(p.duration()).as("part " + p.uri() + " at least 85 % of PART-TARGET").isGreaterThanOrEqualTo(0.85 * pl.partTarget());
            }
            if (p.index() == 0) assertThat(p.independent()).as(p.uri() + " starts its segment with a keyframe").isTrue();
        }
    }
}
