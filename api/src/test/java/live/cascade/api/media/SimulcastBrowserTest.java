package live.cascade.api.media;

import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NetNamespace;
import live.cascade.api.harness.NodeWithBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium publishes simulcast (its fake camera at 1280x720, three layers with pinned bitrates of 150, 500 and
 * 1,500 kbit/s); the node receives all three (stream health), and a Chromium viewer pins each layer in turn through
 * the WHEP layer extension: it decodes that layer's size, keeps decoding across every switch on one inbound stream,
 * and no switch freezes the picture for a second or more. A second Chromium, in a network namespace whose downlink a token bucket
 * limits to 600 kbit/s, moves off the (1.5 Mbit/s) top layer by the node's send-side estimate (from its transport-cc
 * feedback) and then stays on a layer that path carries, while an unconstrained viewer stays on the top one; once the limit is lifted, the figures of its way back up are
 * printed.
 */
@Tag("integration")
@Timeout(240)
class SimulcastBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** Smallest first, as applications usually list them; the node ranks by what it measures. */
    private static final List<Map<String, Object>> ENCODINGS = List.of(
            Map.of("rid", "q", "scaleResolutionDownBy", 4, "maxBitrate", 150_000),
            Map.of("rid", "h", "scaleResolutionDownBy", 2, "maxBitrate", 500_000),
            Map.of("rid", "f", "scaleResolutionDownBy", 1, "maxBitrate", 1_500_000));

    /** Made before the node, which listens for media on its host side only (the namespace's only way in). */
    static final NetNamespace ns = NetNamespace.create("sc");
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--http-host", "0.0.0.0", "--media-host", ns.hostAddress());
    static Chromium browser;
    static MediaNode media;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
    }

    @AfterAll
    static void removeNamespace() {
        ns.close();
    }

    private static MediaNode.Channel publishSimulcast(Publisher pub) {
        MediaNode.Channel ch = media.createChannel("simulcast");
        pub.publish(ch.whipUrl(), ch.streamKey(), Publisher.Source.CAMERA,
                Map.of("width", 1280, "height", 720, "encodings", ENCODINGS));
        return ch;
    }

    /** Stream health's video tracks by rid, once all three layers are measured (size and bitrate). */
    private static Map<String, JsonNode> awaitLayers(MediaNode.Channel ch, Publisher pub) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            TestNode.Response r = media.node.get("/api/channels/" + ch.slug() + "/stream/health", ch.ownerToken());
            if (r.status() == 200) {
                last = r.json();
                Map<String, JsonNode> layers = new LinkedHashMap<>();
                for (JsonNode t : last.get("tracks")) {
                    if (t.get("kind").asText().equals("video") && t.hasNonNull("rid") && t.hasNonNull("width")
                            && t.hasNonNull("bitrate") && t.get("bitrate").asLong() > 0) {
                        layers.put(t.get("rid").asText(), t);
                    }
                }
                if (layers.size() == 3) return layers;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("three measured layers never showed in stream health: " + last + "\n" + pub.diagnostics());
    }

    private static int postLayer(String location, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(location + "/layer"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.statusCode();
    }

    /** Waits until the viewer shows frames {@code width} wide, decoding on. Returns the stats then. */
    private static JsonNode awaitWidth(Viewer viewer, int width) throws InterruptedException {
        return awaitWidth(viewer, width, WAIT);
    }

    private static JsonNode awaitWidth(Viewer viewer, int width, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode s = viewer.stats();
        while (System.nanoTime() < deadline) {
            s = viewer.stats();
            if (s.get("videoWidth").asInt() == width && s.at("/pc/inbound/video/frameWidth").asInt() == width) return s;
            Thread.sleep(250);
        }
        throw new AssertionError("viewer never decoded " + width + " px wide frames; last: " + s.toPrettyString());
    }

    @Test
    void allThreeLayersArriveAndAViewerPinsEachOneWithoutAFreeze() throws Exception {
        Publisher pub = Publisher.open(browser);
        MediaNode.Channel ch = publishSimulcast(pub);
        String answer = pub.sdp().get("answer").asText();
        assertThat(answer).contains("a=simulcast:recv q;h;f").contains("a=rid:f recv");

        Map<String, JsonNode> layers = awaitLayers(ch, pub);
        int fw = layers.get("f").get("width").asInt(), hw = layers.get("h").get("width").asInt(), qw = layers.get("q").get("width").asInt();
        System.out.printf("simulcast layers: f %dx%d %d bit/s, h %dx%d %d bit/s, q %dx%d %d bit/s%n",
                fw, layers.get("f").get("height").asInt(), layers.get("f").get("bitrate").asLong(),
                hw, layers.get("h").get("height").asInt(), layers.get("h").get("bitrate").asLong(),
                qw, layers.get("q").get("height").asInt(), layers.get("q").get("bitrate").asLong());
        assertThat(fw).isGreaterThan(hw);
        assertThat(hw).isGreaterThan(qw);

        Viewer viewer = Viewer.open(browser);
        String location = viewer.play(ch.whepUrl(), false).get("location").asText();
        JsonNode first = awaitWidth(viewer, fw); // no estimate yet, or a good one: the top layer
        long ssrc = first.at("/pc/inbound/video/ssrc").asLong();
        double freezesBefore = first.at("/pc/inbound/video/totalFreezesDuration").asDouble();
        long frames = first.at("/pc/inbound/video/framesDecoded").asLong();

        double frozenBefore = freezesBefore;
        double longest = 0;
        for (String rid : List.of("q", "h", "f", "q")) {
            long started = System.nanoTime();
            postLayer(location, "{\"encodingId\":\"" + rid + "\"}");
            int width = layers.get(rid).get("width").asInt();
            JsonNode s = awaitWidth(viewer, width);
            // A switch freezes the picture at most once (until the target layer's keyframe): what froze since the
            // last switch is that freeze.
            double frozenNow = s.at("/pc/inbound/video/totalFreezesDuration").asDouble();
            longest = Math.max(longest, frozenNow - frozenBefore);
            frozenBefore = frozenNow;
            System.out.printf("pinned %s: %d px after %d ms%n", rid, width, (System.nanoTime() - started) / 1_000_000);
            assertThat(s.at("/pc/inbound/video/ssrc").asLong()).as("one inbound stream across switches").isEqualTo(ssrc);
            long now = s.at("/pc/inbound/video/framesDecoded").asLong();
            assertThat(now).as("decoding goes on").isGreaterThan(frames);
            frames = now;
        }
        postLayer(location, "{}");
        JsonNode end = awaitWidth(viewer, fw);
        assertThat(end.at("/pc/inbound/video/ssrc").asLong()).isEqualTo(ssrc);
        double frozen = end.at("/pc/inbound/video/totalFreezesDuration").asDouble() - freezesBefore;
        System.out.printf("freezes over five switches: %d, %.2f s in all%n",
                end.at("/pc/inbound/video/freezeCount").asLong() - first.at("/pc/inbound/video/freezeCount").asLong(), frozen);
        longest = Math.max(longest, frozen - (frozenBefore - freezesBefore));
        // The bar: no freeze over one second (each switch's own, not their sum).
        assertThat(longest).as("the longest freeze at one switch (%.2f s frozen over five)", frozen).isLessThan(1.0);

        // The web app's player: a quality menu (Auto and each layer, best first) and the viewer count, both from the
        // WHEP extensions; choosing the smallest layer shows its size.
        com.microsoft.playwright.Page page = browser.page(media.node.url(""), Chromium.Viewport.DESKTOP, null);
        page.navigate(media.node.url("/c/" + ch.slug()));
        com.microsoft.playwright.Locator quality = page.getByLabel("Video quality");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(quality.locator("option"))
                .hasText(new String[] {"Auto", layers.get("f").get("height").asInt() + "p", layers.get("h").get("height").asInt() + "p",
                        layers.get("q").get("height").asInt() + "p"}, new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("[data-role=viewers]"))
                .hasText("2 watching", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
        quality.selectOption("q");
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode player = null;
        while (System.nanoTime() < deadline) {
            player = JSON.readTree(String.valueOf(page.evaluate(
                    "async () => JSON.stringify(await document.querySelector('.player').cascadePlayer.stats())")));
            if (player.at("/videoWidth").asInt() == qw) break;
            Thread.sleep(250);
        }
        assertThat(player.at("/videoWidth").asInt()).as("the web player after choosing the smallest layer: %s", player).isEqualTo(qw);
    }

    /**
     * The layer a viewer shows: by frame width, among the layers stream health measures now.
     */
    private static String layerShown(Map<String, JsonNode> layers, int width) {
        return layers.entrySet().stream().filter(e -> e.getValue().get("width").asInt() == width).map(Map.Entry::getKey)
                .findFirst().orElse("?" + width);
    }

    @Test
    void aViewerOnA600KbitPathMovesOffTheTopLayerByItsEstimateWhileAnOpenOneStaysOnTop() throws Exception {
        Publisher pub = Publisher.open(browser);
        MediaNode.Channel ch = publishSimulcast(pub);
        Map<String, JsonNode> layers = awaitLayers(ch, pub);
        int fw = layers.get("f").get("width").asInt();

        Viewer open = Viewer.open(browser); // transport-cc: the send-side estimate, probed up past the top layer
        open.play(ch.whepUrl(), false);
        awaitWidth(open, fw);

        ns.limitRateIntoNamespace(600);
        Chromium inside = Chromium.launch(ns.wrapper(System.getProperty("cascade.chromium", "/usr/bin/chromium")));
        try {
            Viewer slow = Viewer.open(inside);
            long started = System.nanoTime();
            slow.play(ch.whepUrl().replace("127.0.0.1", ns.hostAddress()), false);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            JsonNode s = slow.stats();
            while (System.nanoTime() < deadline) {
                s = slow.stats();
                int w = s.get("videoWidth").asInt();
                if (w > 0 && w < fw && s.at("/pc/inbound/video/frameWidth").asInt() == w) break;
                Thread.sleep(250);
            }
            long settleMs = (System.nanoTime() - started) / 1_000_000;
            int settledWidth = s.get("videoWidth").asInt();
            assertThat(settledWidth).as("the 600 kbit/s viewer left the top layer; last stats: %s", s).isBetween(1, fw - 1);
            // It stays below the top layer, and keeps decoding.
            Thread.sleep(10_000);
            JsonNode later = slow.stats();
            Map<String, JsonNode> now = awaitLayers(ch, pub);
            System.out.printf("600 kbit/s transport-cc viewer: layer %s (%d px) %d ms after its offer; 10 s later layer %s, %d frames "
                            + "decoded since, freezes %d (%.2f s), packets lost %d; layers now f %d, h %d, q %d bit/s%n",
                    layerShown(now, settledWidth), settledWidth, settleMs, layerShown(now, later.get("videoWidth").asInt()),
                    later.at("/pc/inbound/video/framesDecoded").asLong() - s.at("/pc/inbound/video/framesDecoded").asLong(),
                    later.at("/pc/inbound/video/freezeCount").asLong(), later.at("/pc/inbound/video/totalFreezesDuration").asDouble(),
                    later.at("/pc/inbound/video/packetsLost").asLong(), now.get("f").get("bitrate").asLong(),
                    now.get("h").get("bitrate").asLong(), now.get("q").get("bitrate").asLong());
            // Then it is on a layer its path can carry: the lowest, or one the publisher sends under 600 kbit/s. (Not
            // "below the top": a loaded machine's publisher may send its top layer under 600 kbit/s, and then the
            // estimate rightly takes the viewer back to it.)
            String laterRid = layerShown(now, later.get("videoWidth").asInt());
            int lowestWidth = now.values().stream().mapToInt(l -> l.get("width").asInt()).min().orElseThrow();
            assertThat(now).as("the layer shown 10 s later: %s", later).containsKey(laterRid);
            long laterBitrate = now.get(laterRid).get("bitrate").asLong();
            assertThat(later.get("videoWidth").asInt() == lowestWidth || laterBitrate < 600_000)
                    .as("10 s later on layer %s at %d bit/s: the lowest or one that fits 600 kbit/s", laterRid, laterBitrate)
                    .isTrue();
            assertThat(later.at("/pc/inbound/video/framesDecoded").asLong())
                    .isGreaterThan(s.at("/pc/inbound/video/framesDecoded").asLong() + 100);
            assertThat(open.stats().get("videoWidth").asInt()).as("the open viewer stays on top").isEqualTo(fw);
            // The limit lifted: probing toward the next layer up should bring it back. Reported, not asserted: how
            // fast depends on the publisher's keyframes and the machine's load.
            ns.unlimitRate();
            long lifted = System.nanoTime();
            JsonNode up = later;
            int w = later.get("videoWidth").asInt();
            StringBuilder steps = new StringBuilder();
            while (System.nanoTime() - lifted < Duration.ofSeconds(40).toNanos()) {
                up = slow.stats();
                int uw = up.get("videoWidth").asInt();
                if (uw != w) {
                    steps.append(String.format(" %d px at %d ms;", uw, (System.nanoTime() - lifted) / 1_000_000));
                    w = uw;
                }
                if (uw == fw) break;
                Thread.sleep(250);
            }
            System.out.printf("limit lifted: %s final %d px, freezes since %d (%.2f s)%n", steps.length() == 0 ? " no change;" : steps,
                    up.get("videoWidth").asInt(),
                    up.at("/pc/inbound/video/freezeCount").asLong() - later.at("/pc/inbound/video/freezeCount").asLong(),
                    up.at("/pc/inbound/video/totalFreezesDuration").asDouble() - later.at("/pc/inbound/video/totalFreezesDuration").asDouble());
        } finally {
            ns.unlimitRate();
            inside.close();
        }
    }
}
