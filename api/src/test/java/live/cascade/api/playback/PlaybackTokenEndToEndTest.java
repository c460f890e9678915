package live.cascade.api.playback;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.hls.HlsViewers;
import live.cascade.api.http.Json;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.FfmpegRun;
import live.cascade.api.media.Ffprobe;
import live.cascade.api.media.HlsHttp;
import live.cascade.api.media.MediaNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Playback tokens against a real node and a real broadcast (FFmpeg publishing over WHIP): a player that follows the
 * server's URLs gets a token with the master playlist, plays, and is one viewer however often it reloads; altered,
 * forged and missing tokens get 403 problem documents and count nothing; minting sessions by fetching the master
 * playlist counts nothing until they poll, and then at most --hls-viewers-per-ip from one address; the VOD playlist
 * carries the channel's shared token, the same for every viewer, which its segment URL needs.
 */
@Tag("integration")
@Timeout(180)
class PlaybackTokenEndToEndTest {
    private static final int PER_IP = 3;
    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--hls-ladder", "source", "--hls-viewers-per-ip", String.valueOf(PER_IP));
    static MediaNode media;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        media = bed.media();
    }

    private URI uri(String path) { return URI.create(media.node.url(path)); }

    private static String token(URI u) {
        Matcher m = TOKEN.matcher(u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        assertThat(m.find()).as("a token in " + u).isTrue();
        return m.group(1);
    }

    private static URI withToken(URI u, String token) {
        return URI.create(u.toString().replaceFirst("token=[^&]*", "token=" + token));
    }

    /** The media playlist URI of the master playlist's only variant, as a player follows it. */
    private static URI variant(URI master) {
        HttpResponse<byte[]> r = HlsHttp.ok(HlsHttp.get(master));
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("private");
        List<HlsHttp.Variant> variants = HlsHttp.variants(master, HlsHttp.text(r));
        assertThat(variants).hasSize(1);
        return variants.getFirst().uri();
    }

    private static void assertRefused(HttpResponse<byte[]> r, String... detail) throws Exception {
        assertThat(r.statusCode()).as(HlsHttp.text(r)).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = Json.MAPPER.readTree(r.body());
        assertThat(problem.at("/status").asInt()).isEqualTo(403);
        assertThat(problem.at("/detail").asText()).contains(detail);
    }

    private static double refusals(String metrics, String reason) {
        Matcher m = Pattern.compile("cascade_playback_token_refusals_total\\{[^}]*reason=\"" + reason + "\"[^}]*} ([0-9.E+]+)").matcher(metrics);
        assertThat(m.find()).as("cascade_playback_token_refusals_total{reason=" + reason + "} in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aPlayerFollowingTheServersUrlsIsCountedOnceAndForgedOrMintedSessionsDoNotRaiseTheCount() throws Exception {
        MediaNode.Channel ch = media.createChannel("tokens");
        HlsViewers viewers = media.node.server.hls().viewers();
        URI master = uri("/hls/" + ch.slug() + "/master.m3u8");
        try (FfmpegPublisher ff = FfmpegPublisher.ladderSource(ch.whipUrl(), ch.streamKey(), 640, 360, 60)) {
            Eventually.await("the master playlist", Duration.ofSeconds(60),
                    () -> Json.MAPPER.valueToTree(HlsHttp.get(master).statusCode()), s -> s.asInt() == 200, ff::diagnostics);

            // 1. Fetching the master playlist mints a session each time, and counts nothing.
            URI player = variant(master);
            String minted = token(player);
            assertThat(minted).hasSize(62);
            assertThat(token(variant(master))).as("a new session per master fetch without a token").isNotEqualTo(minted);
            assertThat(viewers.count(ch.id())).as("master playlists alone count nothing").isZero();

            // 2. FFmpeg's HLS player, given only the master URL, follows the server's URLs (the token included),
            //    decodes, and is one viewer.
            FfmpegRun played = FfmpegRun.run(60, "-v", "error", "-i", master.toString(), "-t", "3", "-map", "0:v", "-f", "framecrc", "-").ok();
            assertThat(new String(played.stdout(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).count())
                    .as("frames FFmpeg decoded through the server's URLs").isGreaterThan(30);
            assertThat(viewers.count(ch.id())).as("FFmpeg: one player, one viewer").isEqualTo(1);
            // It stopped polling: gone after the idle time (10 s), so the figures below are the next player's alone.
            Eventually.await("FFmpeg's session has left", Duration.ofSeconds(20),
                    () -> Json.MAPPER.valueToTree(viewers.count(ch.id())), n -> n.asInt() == 0, () -> "");

            //    So does a player that polls its media playlist and fetches segments itself: one viewer, however often
            //    it reloads.
            String playlist = "";
            for (int i = 0; i < 4; i++) {
                HttpResponse<byte[]> r = HlsHttp.ok(HlsHttp.get(player));
                playlist = HlsHttp.text(r);
            }
            List<HlsHttp.Segment> segments = HlsHttp.segments(player, playlist);
            assertThat(segments).isNotEmpty();
            assertThat(segments.getLast().uri().getQuery()).as("segment URIs carry no per-viewer token: shared caches keep one copy").isNull();
            HttpResponse<byte[]> segment = HlsHttp.ok(HlsHttp.get(segments.getLast().uri()));
            assertThat(segment.headers().firstValue("Cache-Control").orElse("")).contains("public").contains("immutable");
            JsonNode probe = Ffprobe.probe(HlsHttp.download(HlsHttp.map(player, playlist), List.of(segments.getLast()), tmp.resolve("seg.mp4")));
            assertThat(Ffprobe.stream(probe, "video").at("/codec_name").asText()).isEqualTo("h264");
            assertThat(viewers.count(ch.id())).as("one player, four reloads").isEqualTo(1);
            Eventually.await("viewerCount shows the HLS player", Duration.ofSeconds(15),
                    () -> media.node.get("/api/channels/" + ch.slug(), null).json(), c -> c.at("/viewerCount").asInt() == 1, () -> "");

            // Reloading the master playlist with its token keeps the player's session (a fresh expiry, the same viewer).
            URI reloaded = variant(URI.create(master + "?token=" + minted));
            assertThat(token(reloaded)).isNotEqualTo(minted); // later expiry
            HlsHttp.ok(HlsHttp.get(reloaded));
            assertThat(viewers.count(ch.id())).as("the reloaded token is the same session").isEqualTo(1);

            // 3. Missing, altered, invented and foreign tokens: 403 problem documents, and nothing counted.
            assertRefused(HlsHttp.get(URI.create(player.toString().replaceFirst("\\?.*", ""))), "No playback token", "master.m3u8");
            char c = minted.charAt(30);
            String altered = minted.substring(0, 30) + (c == 'A' ? 'B' : 'A') + minted.substring(31);
            assertRefused(HlsHttp.get(withToken(player, altered)), "signature does not match", "master.m3u8");
            SecureRandom random = new SecureRandom();
            Set<String> invented = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                // Well-formed version-1 tokens for this channel with sessions of the client's choosing, good for a day.
                byte[] session = new byte[12];
                random.nextBytes(session);
                byte[] mac = new byte[16];
                random.nextBytes(mac);
                ByteBuffer b = ByteBuffer.allocate(46).put((byte) 1).put((byte) 0).putLong(ch.id()).put(session)
                        .putLong(Instant.now().plus(Duration.ofDays(1)).getEpochSecond()).put(mac);
                String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
                invented.add(t);
                assertRefused(HlsHttp.get(withToken(player, t)), "signature does not match");
            }
            assertRefused(HlsHttp.get(withToken(player, "hv-style-client-chosen-id")), "not well-formed");
            assertRefused(HlsHttp.get(withToken(player, PlaybackTokens.fromSecret("another deployment's secret, 32+ characters",
                    java.time.Clock.systemUTC(), Duration.ofHours(1)).issue(ch.id()))), "signature does not match");
            assertThat(invented).hasSize(20);
            assertThat(viewers.count(ch.id())).as("refused tokens count nothing").isEqualTo(1);
            String metrics = media.node.get("/metrics", null).body();
            assertThat(refusals(metrics, "forged")).as("forged tokens in /metrics").isGreaterThanOrEqualTo(22);
            assertThat(refusals(metrics, "missing")).isGreaterThanOrEqualTo(1);
            assertThat(refusals(metrics, "malformed")).isGreaterThanOrEqualTo(1);
            assertThat(refusals(metrics, "expired")).as("every reason is a series from start").isZero();

            // 4. Sessions minted through the master playlist and polled from one address: at most --hls-viewers-per-ip
            //    count; the others still play.
            List<URI> mintedPlayers = new ArrayList<>();
            for (int i = 0; i < 10; i++) mintedPlayers.add(variant(master));
            for (int round = 0; round < 2; round++) {
                for (URI u : mintedPlayers) HlsHttp.ok(HlsHttp.get(u));
            }
            assertThat(viewers.count(ch.id())).as("11 polling sessions from one address").isEqualTo(PER_IP);
            Eventually.await("viewerCount at the per-address cap", Duration.ofSeconds(15),
                    () -> media.node.get("/api/channels/" + ch.slug(), null).json(), j -> j.at("/viewerCount").asInt() == PER_IP, () -> "");

            assertThat(media.node.post("/api/channels/" + ch.slug() + "/stream/stop", ch.ownerToken(), "{}").status()).isEqualTo(204);
        }

        // 5. VOD: the playlist carries the channel's shared token; its segment URL needs it.
        JsonNode rec = Eventually.await("the recording is registered", Duration.ofSeconds(30),
                () -> media.node.get("/api/recordings?channel=" + ch.slug(), ch.ownerToken()).json(),
                r -> r.at("/items").size() == 1 && r.at("/items/0/status").asText().equals("ready"), () -> "").at("/items/0");
        long id = rec.at("/id").asLong();
        assertThat(media.node.post("/api/recordings/" + id + "/publish", ch.ownerToken(), "{}").status()).isEqualTo(200);
        URI vod = uri("/api/recordings/" + id + "/playlist.m3u8");
        String first = HlsHttp.text(HlsHttp.ok(HlsHttp.get(vod)));
        assertThat(HlsHttp.text(HlsHttp.ok(HlsHttp.get(vod)))).as("the same for every viewer: cacheable").isEqualTo(first);
        List<HlsHttp.Segment> vodSegments = HlsHttp.segments(vod, first);
        URI media0 = vodSegments.getFirst().uri();
        assertThat(media0.getPath()).endsWith("/media.mp4");
        HttpResponse<byte[]> range = HlsHttp.get(media0, "Range", "bytes=0-99");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).hasSize(100);
        assertRefused(HlsHttp.get(uri("/api/recordings/" + id + "/media.mp4")), "No playback token", "playlist.m3u8");
        String vodToken = token(media0);
        String alteredVod = vodToken.substring(0, 20) + (vodToken.charAt(20) == 'A' ? 'B' : 'A') + vodToken.substring(21);
        assertRefused(HlsHttp.get(withToken(media0, alteredVod)), "signature does not match");
    }
}
