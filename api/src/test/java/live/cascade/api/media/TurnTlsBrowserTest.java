package live.cascade.api.media;

import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.Coturn;
import live.cascade.api.harness.NetNamespace;
import live.cascade.api.harness.TestCa;
import live.cascade.api.http.Json;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22, TURN over TLS: on a network that passes nothing but TCP 443 (and, standing in for the node's HTTPS on
 * 443, its HTTP port), with ICE-TCP off, a Chromium publisher and a Chromium viewer still connect, through the real
 * coturn on 443 whose certificate a CA of the test's own signed and only the test's Chromium trusts (an NSS database
 * in the HOME it runs with). Both must select a relay candidate reached over TLS, the viewer decodes frames, and the
 * node counts both sessions as relayed. The web app's own player does the same from {@code /c/{slug}}, and its studio
 * from {@code /studio}; both tell the node the relay's transport, so it counts them as {@code turn-tls}.
 */
@Tag("integration")
@Timeout(180)
class TurnTlsBrowserTest {
    private static final String SECRET = "turn-tls-browser-test-secret-01";
    static NetNamespace ns;
    static TestCa ca;
    static Coturn coturn;
    static MediaNode media;
    static Chromium chromium;

    @BeforeAll
    static void start() {
        ns = NetNamespace.create("tt");
        ca = TestCa.forIp(ns.hostAddress());
        coturn = Coturn.start(ns.hostAddress(), SECRET, "cascade.test", 443,
                List.of("cert=" + ca.certificate(), "pkey=" + ca.key()));
        media = MediaNode.of(new TestNode("--http-host", "0.0.0.0", "--media-host", ns.hostAddress(), "--ice-tcp-port", "off",
                "--turn-urls", "turns:" + ns.hostAddress() + ":443?transport=tcp", "--turn-secret", SECRET));
        ns.onlyTcpTo(443, URI.create(media.node.url("")).getPort());
        String chromiumPath = System.getProperty("cascade.chromium", "/usr/bin/chromium");
        // The web app on the namespace's address is plain http, no secure context, so its studio would get no camera
        // (navigator.mediaDevices is undefined there): this Chromium treats that one origin as secure.
        chromium = Chromium.launch(ns.wrapper("env HOME=" + ca.home() + " " + chromiumPath),
                List.of("--unsafely-treat-insecure-origin-as-secure=" + base()));
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) chromium.close();
            if (media != null) media.close();
            if (coturn != null) coturn.close();
            if (ca != null) ca.close();
        } finally {
            if (ns != null) ns.close();
        }
    }

    @Test
    void aPublisherAndAViewerThatMayOnlyUse443ConnectThroughCoturnOverTls() throws Exception {
        Channel channel = media.createChannel("turn-tls");
        String whip = channel.whipUrl().replace("127.0.0.1", ns.hostAddress());
        String whep = channel.whepUrl().replace("127.0.0.1", ns.hostAddress());
        long droppedBefore = ns.udpDropped();
        Publisher publisher = Publisher.open(chromium);
        Viewer viewer = null;
        try {
            publisher.publish(whip, channel.streamKey(), Publisher.Source.CAMERA, Map.of("iceServers", iceServers()));
            JsonNode p = Eventually.await("the publisher is connected through the relay", publisher::stats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()), () -> publisher.diagnostics() + "\n" + coturn.log());
            assertRelayedOverTls(p, "publisher");

            viewer = Viewer.open(chromium);
            viewer.play(whep, false, Map.of("iceServers", iceServers()));
            Viewer v = viewer;
            JsonNode s = Eventually.await("the viewer has decoded 60 frames through the relay", viewer::stats,
                    x -> framesDecoded(x) >= 60, () -> v.diagnostics() + "\n" + coturn.log());
            assertRelayedOverTls(s, "viewer");
            assertThat(ns.udpDropped() - droppedBefore).as("packets the network dropped (UDP, TCP to other ports)").isPositive();
            System.out.printf("[reach] first frame after the WHEP POST through coturn over TLS: %d ms%n",
                    s.at("/firstPresentedAt").asLong() - s.at("/postAt").asLong());
            Eventually.await("/metrics counts the publisher and the viewer as relayed", Eventually.TIMEOUT,
                    () -> TextNode.valueOf(media.node.get("/metrics", null).body()),
                    m -> m.asText().contains("cascade_media_sessions_by_path{path=\"turn\"} 2.0"), () -> "");
            viewer.stop();
            publisher.stop();
        } finally {
            if (viewer != null) viewer.close();
            publisher.close();
        }
    }

    /**
     * The web app itself, not a test page: its player in the namespace fetches {@code /api/ice-servers} before its
     * offer, connects through coturn over TLS (nothing else leaves the namespace), plays, and its QoE beacon tells the
     * node the relay's transport, so the node counts the session as {@code turn-tls} rather than plain {@code turn}.
     */
    @Test
    void theWebAppsPlayerFetchesItsIceServersPlaysThroughCoturnAndTheNodeCountsItAsTurnTls() {
        Channel channel = media.createChannel("turn-web");
        String base = base();
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.start(channel.whipUrl(), channel.streamKey(), 120)) {
            Page page = chromium.page(base, Chromium.Viewport.DESKTOP, null);
            List<String> requests = new CopyOnWriteArrayList<>();
            page.onRequest(r -> requests.add(r.method() + " " + r.url()));
            try {
                page.navigate(base + "/c/" + channel.slug());
                JsonNode s = Eventually.await("the web player plays 60 frames through the relay", Duration.ofSeconds(60), () -> player(page),
                        x -> "live".equals(x.at("/state").asText()) && x.at("/framesDecoded").asLong() >= 60 && !x.at("/path").isNull(),
                        () -> player(page) + "\n" + ffmpeg.diagnostics() + "\n" + coturn.log());
                assertThat(s.at("/protocol").asText()).isEqualTo("webrtc");
                assertThat(s.at("/path").asText()).as("the player's selected pair, from getStats()").isEqualTo("turn-tls");
                assertThat(requests).as("the player asked for its ICE servers before its WHEP offer")
                        .anyMatch(r -> r.equals("GET " + base + "/api/ice-servers"));
                int ice = indexOf(requests, "GET " + base + "/api/ice-servers");
                int offer = indexOf(requests, "POST " + base + "/api/whep/" + channel.slug());
                assertThat(ice).isGreaterThanOrEqualTo(0).isLessThan(offer);
                Eventually.await("/metrics counts the web player's session as turn-tls", Eventually.TIMEOUT,
                        () -> TextNode.valueOf(media.node.get("/metrics", null).body()),
                        m -> m.asText().contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 1.0"),
                        () -> media.node.get("/metrics", null).body().lines().filter(l -> l.startsWith("cascade_media_sessions_by_path")
                                || l.startsWith("cascade_qoe_beacons")).toList() + " last beacon " + player(page).at("/qoe"));
            } finally {
                page.close();
            }
        }
    }

    /**
     * The web app's studio, not a test page: it goes live over WHIP through coturn over TLS, finds in getStats() that
     * its selected pair is relayed, tells the node the relay's transport at {@code POST /api/ice-servers/relay} for its
     * own WHIP session, and the node counts the publisher as {@code turn-tls}. The page's console and its requests are
     * kept and printed when it fails, to tell a studio that never went live from one whose report never left or was
     * refused.
     */
    @Test
    void theStudioPublishingThroughCoturnOverTlsIsCountedAsTurnTls() {
        Channel channel = media.createChannel("turn-studio");
        String base = base();
        Page page = chromium.page(base, Chromium.Viewport.DESKTOP, channel.ownerToken());
        page.context().grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions().setOrigin(base));
        List<String> console = new CopyOnWriteArrayList<>();
        List<String> requests = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        page.onPageError(e -> console.add("uncaught: " + e));
        page.onRequest(r -> requests.add(r.method() + " " + r.url()));
        page.onResponse(r -> { if (r.url().contains("/api/ice-servers/relay")) requests.add(r.status() + " " + r.url()); });
        java.util.function.Supplier<String> diagnostics = () -> "console " + console + "\nrequests " + requests + "\n" + coturn.log();
        // Another test's relayed session (the web player's) may take a moment to end: none may count before this one.
        Eventually.await("no session counts as turn-tls before the studio goes live", Eventually.TIMEOUT,
                () -> TextNode.valueOf(media.node.get("/metrics", null).body()),
                m -> m.asText().contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 0.0"), () -> "");
        try {
            page.navigate(base + "/studio?channel=" + channel.slug());
            assertThat(page.evaluate("() => window.isSecureContext")).as("the studio's origin is a secure context").isEqualTo(true);
            // 360p without simulcast: one layer is enough to prove the path, on a loaded machine.
            page.getByLabel("Resolution and bitrate").selectOption("360p");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
            JsonNode s = Eventually.await("the studio is live through the relay and has reported it", Duration.ofSeconds(60), () -> studio(page),
                    // 204 counted at once; 202 kept until the node has the pair too (the metric below tells).
                    x -> "connected".equals(x.at("/connectionState").asText())
                            && List.of(202, 204).contains(x.at("/relayReport/status").asInt()),
                    diagnostics);
            assertThat(s.at("/path").asText()).as("the studio's selected pair, from getStats()").isEqualTo("turn-tls");
            System.out.printf("[reach] the studio's relay report: %s%n", s.at("/relayReport"));
            assertThat(requests).as("the studio fetched its ICE servers before its WHIP offer, and reported its relay after")
                    .containsSubsequence("GET " + base + "/api/ice-servers", "POST " + base + "/api/whip", "POST " + base + "/api/ice-servers/relay");
            Eventually.await("/metrics counts the studio's session as turn-tls", Eventually.TIMEOUT,
                    () -> TextNode.valueOf(media.node.get("/metrics", null).body()),
                    m -> m.asText().contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 1.0"),
                    () -> media.node.get("/metrics", null).body().lines().filter(l -> l.startsWith("cascade_media_sessions_by_path")
                            || l.startsWith("cascade_ice_relay_reports")).toList() + "\n" + diagnostics.get());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop broadcast")).click();
            Eventually.await("the stopped broadcast's session is gone from /metrics", Eventually.TIMEOUT,
                    () -> TextNode.valueOf(media.node.get("/metrics", null).body()),
                    m -> m.asText().contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 0.0"), diagnostics);
        } finally {
            page.close();
        }
    }

    private static String base() {
        return "http://" + ns.hostAddress() + ":" + URI.create(media.node.url("")).getPort();
    }

    private static JsonNode studio(Page page) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(page.evaluate(
                    "() => { const b = document.querySelector('.studio-layout')?.cascadeStudio; return b ? b.stats() : { state: 'absent' }; }")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(List<String> requests, String request) {
        return requests.indexOf(request);
    }

    private static JsonNode player(Page page) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(page.evaluate(
                    "() => { const p = document.querySelector('.player')?.cascadePlayer; return p ? p.stats() : { state: 'absent' }; }")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the web app does before its offer: the node's ICE servers, with a TURN credential minted for it. */
    private static List<Map<String, Object>> iceServers() throws Exception {
        JsonNode body = Json.MAPPER.readTree(media.node.get("/api/ice-servers", null).body());
        return Json.MAPPER.convertValue(body.at("/iceServers"), new TypeReference<>() { });
    }

    private static void assertRelayedOverTls(JsonNode stats, String who) {
        assertThat(stats.at("/pc/selectedPair/localType").asText()).as(who + "'s selected local candidate: " + stats.at("/pc/selectedPair"))
                .isEqualTo("relay");
        assertThat(stats.at("/pc/selectedPair/localRelayProtocol").asText()).as(who + " reaches the relay over").isEqualTo("tls");
    }
}
