package live.cascade.api.whip;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every WHIP/WHEP status of RFC 9725 and the WHEP draft that the server implements, against the real server, with
 * offers captured from Chromium and FFmpeg. Media does not flow here (the end-to-end tests cover that); these are
 * the HTTP semantics.
 */
class WhipWhepConformanceTest {
    static TestNode node;
    static Account admin;
    static Account owner;
    static Account other;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String TURN_SECRET = "conformance-turn-secret-0123456789";

    private static String hmacSha1Base64(String secret, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() {
        node = new TestNode("--ice-servers", "stun:stun.example.org:3478", "--turn-urls", "turn:turn.example.org:3478?transport=udp",
                "--turn-secret", TURN_SECRET);
        admin = node.signup("whip_admin");
        owner = node.signup("whip_owner");
        other = node.signup("whip_other");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    record Reply(int status, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        List<String> headers(String name) {
            return raw.headers().allValues(name);
        }

        String body() {
            return raw.body();
        }
    }

    static Reply call(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(15));
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String fixture(String name) {
        try (InputStream in = WhipWhepConformanceTest.class.getResourceAsStream("/whip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String channel(Account who, String slug) {
        TestNode.Response r = node.post("/api/channels", who.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    static Reply publish(String key, String offer) {
        return call("POST", "/api/whip", "application/sdp", offer, "Authorization", "Bearer " + key);
    }

    static void assertProblem(Reply r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.body()).contains("\"status\":" + status).contains("\"detail\":");
        // Errors on these URLs carry CORS headers too, so a page on another origin can read them.
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void preflightOpensCorsAndAdvertisesSdp() {
        Reply r = call("OPTIONS", "/api/whip", null, null, "Origin", "https://studio.example", "Access-Control-Request-Method", "POST");
        assertThat(r.status()).isIn(200, 204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(r.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Content-Type").contains("If-Match");
        assertThat(r.header("Access-Control-Expose-Headers")).contains("Location").contains("Link").contains("ETag");
        assertThat(r.header("Accept-Post")).isEqualTo("application/sdp");
        assertThat(r.headers("Link")).as("no ICE servers on a plain preflight").isEmpty();

        Reply session = call("OPTIONS", "/api/whep/anything/some-session", null, null);
        assertThat(session.header("Access-Control-Allow-Methods")).contains("PATCH").contains("DELETE");
    }

    @Test
    void publishAnswersWithLocationStrongEtagIceServersAndACompleteIceLiteAnswer() {
        String key = channel(owner, "conform-pub");
        Reply r = publish(key, fixture("chromium-publisher-offer.sdp"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/sdp");
        assertThat(r.header("Location")).matches("/api/whip/[A-Za-z0-9_-]{16,}");
        assertThat(r.header("ETag")).matches("\"[^\"]+\"");
        assertThat(r.headers("Link")).hasSize(2);
        assertThat(r.headers("Link").get(0)).isEqualTo("<stun:stun.example.org:3478>; rel=\"ice-server\"");
        // A TURN REST credential minted for this answer: expiry:id, password base64(HMAC-SHA1(secret, username)).
        java.util.regex.Matcher turn = java.util.regex.Pattern.compile("<turn:turn.example.org:3478\\?transport=udp>; rel=\"ice-server\"; "
                + "username=\"(\\d+):([0-9a-f]+)\"; credential=\"([^\"]+)\"; credential-type=\"password\"").matcher(r.headers("Link").get(1));
        assertThat(turn.matches()).as(r.headers("Link").get(1)).isTrue();
        long expiry = Long.parseLong(turn.group(1));
        assertThat(expiry - java.time.Instant.now().getEpochSecond()).as("seconds the credential lives").isBetween(280L, 301L);
        assertThat(turn.group(3)).isEqualTo(hmacSha1Base64(TURN_SECRET, turn.group(1) + ":" + turn.group(2)));
        String answer = r.body();
        assertThat(answer).contains("a=ice-lite").contains("a=recvonly").contains("a=rtcp-mux-only").contains("a=group:BUNDLE")
                .contains("a=setup:passive").contains("a=end-of-candidates").containsPattern("a=candidate:\\S+ 1 udp \\d+ \\S+ \\d+ typ host")
                .containsPattern("a=candidate:\\S+ 1 tcp \\d+ \\S+ \\d+ typ host tcptype passive")
                .doesNotContain("a=sendrecv");
        assertThat(call("GET", r.header("Location"), null, null, "Authorization", "Bearer " + key).status()).isIn(200, 204);
        assertThat(call("DELETE", r.header("Location"), null, null, "Authorization", "Bearer " + key).status()).isEqualTo(200);
    }

    @Test
    void ffmpegOfferMakesUsTheDtlsClient() {
        String key = channel(owner, "conform-ffmpeg");
        Reply r = publish(key, fixture("ffmpeg-whip-offer.sdp"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("a=setup:active").contains("H264/90000").contains("opus/48000/2").contains("a=candidate:");
        call("DELETE", r.header("Location"), null, null, "Authorization", "Bearer " + key);
    }

    @Test
    void badPublishRequestsGetTheirStatus() {
        String key = channel(owner, "conform-bad");
        Reply wrongType = call("POST", "/api/whip", "text/plain", "v=0", "Authorization", "Bearer " + key);
        assertProblem(wrongType, 415);
        assertThat(wrongType.header("Accept")).isEqualTo("application/sdp");

        Reply noKey = call("POST", "/api/whip", "application/sdp", fixture("chromium-publisher-offer.sdp"));
        assertProblem(noKey, 401);
        assertThat(noKey.header("WWW-Authenticate")).startsWith("Bearer");
        Reply wrongKey = publish("live_not-a-key", fixture("chromium-publisher-offer.sdp"));
        assertProblem(wrongKey, 401);
        // A login session token is not a stream key.
        assertProblem(publish(owner.token(), fixture("chromium-publisher-offer.sdp")), 401);

        Reply garbage = publish(key, "this is not sdp");
        assertProblem(garbage, 400);
        assertThat(garbage.body()).contains("does not parse");
        // Refusals are counted by reason in /metrics.
        assertThat(node.get("/metrics", null).body()).containsPattern("cascade_signaling_refusals_total\\{reason=\"MALFORMED\"\\} [1-9]");

        Reply twoVideo = publish(key, fixture("chromium-two-video-offer.sdp"));
        assertProblem(twoVideo, 422);
    }

    @Test
    void patchFollowsTheEntityTagRules() {
        String key = channel(owner, "conform-patch");
        Reply created = publish(key, fixture("chromium-publisher-offer.sdp"));
        String location = created.header("Location");
        String etag = created.header("ETag");
        String auth = "Bearer " + key;

        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"), "Authorization", auth), 428);
        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"),
                "Authorization", auth, "If-Match", "\"stale\""), 412);
        assertProblem(call("PATCH", location, "text/plain", "a=end-of-candidates", "Authorization", auth, "If-Match", etag), 415);
        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", "a=ice-ufrag\u0000:x\r\nnot an sdpfrag",
                "Authorization", auth, "If-Match", etag), 400);
        Reply trickle = call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"),
                "Authorization", auth, "If-Match", etag);
        assertThat(trickle.status()).isEqualTo(204);
        assertThat(trickle.header("ETag")).isNull();

        // Another channel's key may not touch this session; no key at all is 401.
        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"),
                "Authorization", "Bearer " + channel(other, "conform-patch-other"), "If-Match", etag), 403);
        assertProblem(call("DELETE", location, null, null), 401);

        Reply restart = call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-ice-restart.sdpfrag"),
                "Authorization", auth, "If-Match", "*");
        assertThat(restart.status()).as(restart.body()).isEqualTo(200);
        assertThat(restart.header("Content-Type")).startsWith("application/trickle-ice-sdpfrag");
        assertThat(restart.header("ETag")).matches("\"[^\"]+\"").isNotEqualTo(etag);
        assertThat(restart.body()).contains("a=ice-ufrag:").contains("a=ice-pwd:").contains("a=ice-lite").contains("a=end-of-candidates");
        // The old entity tag is stale now.
        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"),
                "Authorization", auth, "If-Match", etag), 412);

        assertThat(call("DELETE", location, null, null, "Authorization", auth, "If-Match", "\"ignored\"").status()).isEqualTo(200);
        assertProblem(call("DELETE", location, null, null, "Authorization", auth), 404);
        assertProblem(call("PATCH", location, "application/trickle-ice-sdpfrag", fixture("handwritten-trickle.sdpfrag"),
                "Authorization", auth, "If-Match", "*"), 404);
    }

    @Test
    void playbackNeedsABroadcastAndACodecThePlayerCanDecode() {
        String key = channel(owner, "conform-play");
        Reply offline = call("POST", "/api/whep/conform-play", "application/sdp", fixture("chromium-viewer-offer.sdp"));
        assertProblem(offline, 409);
        assertThat(Integer.parseInt(offline.header("Retry-After"))).isPositive();
        assertProblem(call("POST", "/api/whep/no-such-channel", "application/sdp", fixture("chromium-viewer-offer.sdp")), 404);
        assertProblem(call("POST", "/api/whep/conform-play", "application/json", "{}"), 415);
        Reply head = call("HEAD", "/api/whep/conform-play", null, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).startsWith("application/sdp");

        Reply pub = publish(key, fixture("chromium-publisher-offer.sdp"));
        assertThat(pub.status()).isEqualTo(201);
        // The publisher sends H.264 (our first preference); a player offering only VP8/VP9 cannot decode it.
        Reply vp8Only = call("POST", "/api/whep/conform-play", "application/sdp", fixture("chromium-viewer-vp8-vp9-offer.sdp"));
        assertProblem(vp8Only, 422);
        assertThat(vp8Only.body()).contains("H264");

        Reply play = call("POST", "/api/whep/conform-play", "application/sdp", fixture("chromium-viewer-offer.sdp"));
        assertThat(play.status()).as(play.body()).isEqualTo(201);
        assertThat(play.header("Location")).startsWith("/api/whep/conform-play/");
        assertThat(play.header("ETag")).matches("\"[^\"]+\"");
        assertThat(play.body()).contains("a=sendonly").contains("a=ice-lite").contains("a=ssrc:").contains("H264/90000");
        String location = play.header("Location");
        assertThat(call("DELETE", location, null, null).status()).isEqualTo(200);
        assertProblem(call("DELETE", location, null, null), 404);

        // The owner ends the broadcast; players are then told the channel is offline.
        assertThat(node.post("/api/channels/conform-play/stream/stop", other.token(), null).status()).isEqualTo(403);
        assertThat(node.post("/api/channels/conform-play/stream/stop", owner.token(), null).status()).isEqualTo(204);
        assertProblem(call("POST", "/api/whep/conform-play", "application/sdp", fixture("chromium-viewer-offer.sdp")), 409);
        assertThat(node.post("/api/channels/conform-play/stream/stop", owner.token(), null).status()).isEqualTo(409);
        assertProblem(call("DELETE", pub.header("Location"), null, null, "Authorization", "Bearer " + key), 404);
    }

    @Test
    void aSuspendedChannelCannotGoLive() {
        String key = channel(owner, "conform-suspended");
        long id = node.get("/api/channels/conform-suspended", null).json().at("/id").asLong();
        node.server.database().channels().setSuspended(id, true);
        assertProblem(publish(key, fixture("chromium-publisher-offer.sdp")), 403);
    }

    @Test
    void suspendingTheOwnerTakesTheirBroadcastOffTheAir() {
        Account streamer = node.signup("whip_suspended_owner");
        String key = channel(streamer, "conform-owner-suspended");
        Reply pub = publish(key, fixture("chromium-publisher-offer.sdp"));
        assertThat(pub.status()).isEqualTo(201);
        assertThat(call("POST", "/api/whep/conform-owner-suspended", "application/sdp", fixture("chromium-viewer-offer.sdp")).status()).isEqualTo(201);

        TestNode.Response suspended = node.post("/api/users/" + streamer.id() + "/suspend", admin.token(), null);
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        long id = node.get("/api/channels/conform-owner-suspended", admin.token()).json().at("/id").asLong();
        assertThat(node.server.media().broadcasts().state(id)).isEmpty();
    }

    @Test
    void deletingAChannelTakesItsBroadcastOffTheAir() {
        String key = channel(owner, "conform-deleted");
        long id = node.get("/api/channels/conform-deleted", null).json().at("/id").asLong();
        Reply pub = publish(key, fixture("chromium-publisher-offer.sdp"));
        assertThat(pub.status()).isEqualTo(201);
        assertThat(node.send("DELETE", "/api/channels/conform-deleted", owner.token(), null).status()).isEqualTo(204);
        assertThat(node.server.media().broadcasts().state(id)).isEmpty();
    }

    @Test
    void pastThePublishersReserveNewPublishersGet503() {
        try (TestNode small = new TestNode("--max-sessions", "2", "--publisher-reserve", "1")) {
            small.signup("limit_admin");
            Account a = small.signup("limit_owner");
            String k1 = small.post("/api/channels", a.token(), map("slug", "limit-one", "title", "t", "category", "c")).json().at("/streamKey").asText();
            String k2 = small.post("/api/channels", a.token(), map("slug", "limit-two", "title", "t", "category", "c")).json().at("/streamKey").asText();
            HttpRequest.Builder first = HttpRequest.newBuilder(URI.create(small.url("/api/whip"))).header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + k1).POST(HttpRequest.BodyPublishers.ofString(fixture("chromium-publisher-offer.sdp")));
            HttpRequest.Builder second = HttpRequest.newBuilder(URI.create(small.url("/api/whip"))).header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + k2).POST(HttpRequest.BodyPublishers.ofString(fixture("chromium-publisher-offer.sdp")));
            HttpResponse<String> ok = HTTP.send(first.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(201);
            HttpResponse<String> full = HTTP.send(second.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.body()).contains("limit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDeletedPublisherLeavesTheChannelReconnectingForTheGracePeriodThenOffline() throws InterruptedException {
        try (TestNode quick = new TestNode("--publisher-grace", "1s")) {
            quick.signup("grace_admin");
            Account a = quick.signup("grace_owner");
            String key = quick.post("/api/channels", a.token(), map("slug", "grace", "title", "t", "category", "c")).json().at("/streamKey").asText();
            long channelId = quick.get("/api/channels/grace", null).json().at("/id").asLong();
            HttpResponse<String> pub = HTTP.send(HttpRequest.newBuilder(URI.create(quick.url("/api/whip"))).header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(fixture("chromium-publisher-offer.sdp"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pub.statusCode()).isEqualTo(201);
            var broadcasts = quick.server.media().broadcasts();
            assertThat(broadcasts.state(channelId)).get().extracting(st -> st.phase().name()).isEqualTo("STARTING");

            HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(quick.url(pub.headers().firstValue("Location").orElseThrow())))
                    .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(200);
            // Within the grace period the broadcast waits for its publisher ...
            assertThat(broadcasts.state(channelId)).get().extracting(st -> st.phase().name()).isEqualTo("RECONNECTING");
            // ... and after it, the channel is offline.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (broadcasts.state(channelId).isPresent() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(broadcasts.state(channelId)).as("broadcast ended after the grace period").isEmpty();
            assertThat(broadcasts.sessionCount()).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void getOnTheEndpointIsEmptySuccess() {
        assertThat(call("GET", "/api/whip", null, null).status()).isIn(200, 204);
        assertThat(call("GET", "/api/whip", null, null).body()).isEmpty();
    }
}
