package live.cascade.api.whip;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.OutgoingStream;
import live.cascade.sfu.testkit.client.PacketPublisher;
import live.cascade.sfu.testkit.client.PacketViewer;
import live.cascade.sfu.testkit.client.ReceivedRtp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WHEP extensions over HTTP against a real node: a packet-level simulcast publisher (three rid layers of
 * synthetic H.264, the largest sent at the highest rate), the layers in stream health, the server-sent events
 * ({@code active}, {@code layers}, {@code viewercount}) and pinning a layer with the layer extension, then back to
 * automatic. Untagged: in-process node on embedded H2, media on loopback.
 */
class WhepExtensionsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Offered smallest first, named so that neither order nor name says which is largest. */
    private static final List<String> RIDS = List.of("lo", "mid", "top");
    /** Bytes of each delta frame per layer (one NAL unit each): about 36, 108 and 216 kbit/s at 30 fps. */
    private static final int[] DELTA_BYTES = {150, 450, 900};

    static TestNode node;
    static Account owner;

    @BeforeAll
    static void start() {
        node = new TestNode("--hls-ladder", "off", "--recordings", "false");
        node.signup("layers_admin");
        owner = node.signup("layers_owner");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String channel(String slug) {
        TestNode.Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    /** Sends 30 frames a second on every layer; a layer whose SSRC got a PLI sends a keyframe next, like an encoder. */
    private static final class Encoder implements AutoCloseable {
        private final PacketPublisher pub;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final long[] plis = new long[RIDS.size()];
        /** The layers told to pause (the WHIP layer events), which it stops sending, as the studio does. */
        volatile java.util.Set<String> paused = java.util.Set.of();
        private final boolean[] off = new boolean[RIDS.size()];

        Encoder(PacketPublisher pub) {
            this.pub = pub;
            this.thread = Thread.ofVirtual().start(this::run);
        }

        private void run() {
            long ts = 90_000;
            boolean first = true;
            while (running.get()) {
                for (int i = 0; i < RIDS.size(); i++) {
                    OutgoingStream s = pub.layer(RIDS.get(i));
                    long p = pub.plis(s);
                    boolean key = first || p > plis[i] || off[i]; // a layer turned on again starts with a keyframe
                    plis[i] = p;
                    off[i] = paused.contains(RIDS.get(i));
                    if (off[i]) continue;
                    if (key) pub.send(s.h264(ts, true));
                    else pub.send(s.h264(ts, List.of(delta(i, DELTA_BYTES[i], ts))));
                }
                first = false;
                ts += 3000;
                try {
                    Thread.sleep(33);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    /** A non-IDR slice whose second byte names the layer. */
    private static byte[] delta(int layer, int size, long ts) {
        byte[] nal = new byte[size];
        nal[0] = 0x41;
        nal[1] = (byte) (0x10 + layer);
        for (int i = 2; i < size; i++) nal[i] = (byte) (ts + i);
        return nal;
    }

    /** The layer of a delta packet the viewer got, -1 for anything else (keyframe parts, SPS, PPS). */
    private static int layerOf(ReceivedRtp p) {
        byte[] payload = p.payload();
        if (payload.length < 2 || (payload[0] & 0x1F) != 1) return -1;
        return payload[1] - 0x10;
    }

    private static int layerNow(PacketViewer viewer) {
        List<ReceivedRtp> got = viewer.received("video");
        for (int i = got.size() - 1; i >= 0; i--) {
            int l = layerOf(got.get(i));
            if (l >= 0) return l;
        }
        return -1;
    }

    /** Waits until the viewer's newest delta frames come from {@code layer}. */
    private static void awaitLayer(PacketViewer viewer, int layer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (layerNow(viewer) != layer) {
            assertThat(System.nanoTime()).as("viewer still on layer %d, not %d", layerNow(viewer), layer).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> postJson(URI uri, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads server-sent events until every name in {@code wanted} was seen; returns the last data of each. */
    private static Map<String, JsonNode> readEvents(URI stream, List<String> wanted) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Map<String, JsonNode> seen = new HashMap<>();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(WAIT);
                r.body().close();
            } catch (Exception ignored) {
                // closing ends the read below
            }
        });
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while (!seen.keySet().containsAll(wanted) && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ") && event != null) seen.put(event, JSON.readTree(line.substring(6)));
            }
        } finally {
            watchdog.interrupt();
        }
        assertThat(seen).as("events seen").containsKeys(wanted.toArray(new String[0]));
        return seen;
    }

    @Test
    void layersAreReportedPinnedAndReleasedThroughTheWhepExtensions() throws Exception {
        String key = channel("layers");
        try (PacketPublisher pub = PacketPublisher.connectSimulcast(URI.create(node.url("/api/whip")), key,
                ClientOptions.defaults(), RIDS);
             Encoder encoder = new Encoder(pub)) {
            assertThat(pub.answer().section("video").orElseThrow().toString()).isNotEmpty();
            try (PacketViewer viewer = PacketViewer.connect(URI.create(node.url("/api/whep/layers")), ClientOptions.defaults())) {
                String base = viewer.session().toString();
                assertThat(viewer.links()).anySatisfy(l -> assertThat(l)
                        .contains("<" + viewer.session().getPath() + "/layer>").contains("rel=\"urn:ietf:params:whep:ext:core:layer\""));
                assertThat(viewer.links()).anySatisfy(l -> assertThat(l)
                        .contains("<" + viewer.session().getPath() + "/sse>")
                        .contains("rel=\"urn:ietf:params:whep:ext:core:server-sent-events\"").contains("viewercount"));

                // Without an estimate the viewer gets the top layer, found by its rate: "top" is the largest here.
                awaitLayer(viewer, 2);

                // Stream health lists each layer, best first.
                long deadline = System.nanoTime() + WAIT.toNanos();
                JsonNode video;
                do {
                    Thread.sleep(200);
                    TestNode.Response h = node.get("/api/channels/layers/stream/health", owner.token());
                    assertThat(h.status()).as(h.body()).isEqualTo(200);
                    video = h.json().get("tracks");
                } while (!(video.size() == 4 && video.get(3).hasNonNull("bitrate")) && System.nanoTime() < deadline);
                List<String> rids = new ArrayList<>();
                for (JsonNode t : video) if (t.get("kind").asText().equals("video")) rids.add(t.get("rid").asText());
                assertThat(rids).containsExactly("top", "mid", "lo");
                for (JsonNode t : video) {
                    if (!t.get("kind").asText().equals("video")) continue;
                    assertThat(t.get("width").asInt()).isPositive();
                    assertThat(t.get("frameRate").asDouble()).isPositive();
                }

                // Server-sent events: subscribe, then read the stream.
                HttpResponse<String> sub = postJson(URI.create(base + "/sse"), "[\"active\",\"layers\",\"viewercount\"]");
                assertThat(sub.statusCode()).as(sub.body()).isEqualTo(201);
                URI stream = URI.create(base).resolve(sub.headers().firstValue("Location").orElseThrow());
                Map<String, JsonNode> events = readEvents(stream, List.of("active", "layers", "viewercount"));
                assertThat(events.get("viewercount").get("viewercount").asInt()).isEqualTo(1);
                String mediaId = viewer.answer().section("video").orElseThrow().mid();
                List<String> offered = new ArrayList<>();
                for (JsonNode l : events.get("layers").get(mediaId).get("layers")) offered.add(l.get("encodingId").asText());
                assertThat(offered).containsExactly("top", "mid", "lo");

                // Pin the smallest layer, then go back to automatic.
                HttpResponse<String> pin = postJson(URI.create(base + "/layer"), "{\"mediaId\":\"" + mediaId + "\",\"encodingId\":\"lo\"}");
                assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
                awaitLayer(viewer, 0);
                HttpResponse<String> auto = postJson(URI.create(base + "/layer"), "{}");
                assertThat(auto.statusCode()).as(auto.body()).isEqualTo(200);
                awaitLayer(viewer, 2);
                HttpResponse<String> viaNull = postJson(URI.create(base + "/layer"), "{\"encodingId\":null}");
                assertThat(viaNull.statusCode()).isEqualTo(200);

                // A height cap below every layer leaves the smallest; {} lifts it again.
                assertThat(postJson(URI.create(base + "/layer"), "{\"maxHeight\":100}").statusCode()).isEqualTo(200);
                awaitLayer(viewer, 0);
                assertThat(postJson(URI.create(base + "/layer"), "{}").statusCode()).isEqualTo(200);
                awaitLayer(viewer, 2);
                assertThat(postJson(URI.create(base + "/layer"), "{\"maxHeight\":\"big\"}").statusCode()).isEqualTo(400);

                // Requests the node cannot serve, each with a problem document saying what to send instead.
                HttpResponse<String> unknown = postJson(URI.create(base + "/layer"), "{\"encodingId\":\"huge\"}");
                assertThat(unknown.statusCode()).isEqualTo(422);
                assertThat(unknown.body()).contains("lo, mid, top").contains("huge");
                assertThat(postJson(URI.create(base + "/layer"), "{\"mediaId\":\"7\",\"encodingId\":\"lo\"}").statusCode()).isEqualTo(409);
                assertThat(postJson(URI.create(base + "/layer"), "not json").statusCode()).isEqualTo(400);
                assertThat(postJson(URI.create(base + "/sse"), "[\"weather\"]").statusCode()).isEqualTo(422);
                assertThat(postJson(URI.create(node.url("/api/whep/layers/nosuchsession/layer")), "{}").statusCode()).isEqualTo(404);
                assertThat(viewer.failures()).isEmpty();
            }
        }
    }

    /**
     * Ours: the WHIP session's layer events name the layers nobody consumes (after 3 s unwanted), the publisher stops
     * them, and a viewer pinning one brings it back at once.
     */
    @Test
    void theWhipLayerEventsPauseWhatNobodyWatchesAndAPinBringsItBack() throws Exception {
        String key = channel("pausing");
        try (PacketPublisher pub = PacketPublisher.connectSimulcast(URI.create(node.url("/api/whip")), key,
                ClientOptions.defaults(), RIDS);
             Encoder encoder = new Encoder(pub)) {
            URI layers = URI.create(pub.session() + "/layers");
            assertThat(pub.links()).anySatisfy(l -> assertThat(l).contains("<" + pub.session().getPath() + "/layers>")
                    .contains("rel=\"urn:cascade:whip:ext:layer-pausing\""));
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(layers).GET().timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("the stream key is needed, as on every WHIP request").isEqualTo(401);

            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(layers).header("Authorization", "Bearer " + key)
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            java.util.concurrent.BlockingQueue<java.util.Set<String>> events = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.startsWith("data: ")) continue;
                        java.util.Set<String> paused = new java.util.HashSet<>();
                        for (JsonNode n : JSON.readTree(line.substring(6)).get("paused")) paused.add(n.asText());
                        encoder.paused = paused; // what the studio does with setParameters
                        events.add(paused);
                    }
                } catch (Exception e) {
                    // closed below
                }
            });
            try {
                long opened = System.nanoTime();
                assertThat(events.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as("the first event, at once").isEmpty();
                // One at a time maybe: until the layers are measured the offer order ranks them, and "lo" is the top.
                java.util.Set<String> next = java.util.Set.of();
                while (next != null && !next.equals(java.util.Set.of("lo", "mid"))) {
                    next = events.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                }
                long pausedAfter = (System.nanoTime() - opened) / 1_000_000;
                assertThat(next).as("nobody watches: all but the top layer").containsExactlyInAnyOrder("lo", "mid");
                assertThat(pausedAfter).as("not before the 3 s a layer must go unwanted").isGreaterThan(1_500);
                Thread.sleep(2_500);
                JsonNode lo = null;
                for (JsonNode t : node.get("/api/channels/pausing/stream/health", owner.token()).json().get("tracks")) {
                    if ("lo".equals(t.path("rid").asText())) lo = t;
                }
                assertThat(lo).isNotNull();
                assertThat(lo.get("lastPacketAgeMs").asLong()).as("lo stopped: %s", lo).isGreaterThan(1_500);

                try (PacketViewer viewer = PacketViewer.connect(URI.create(node.url("/api/whep/pausing")), ClientOptions.defaults())) {
                    awaitLayer(viewer, 2);
                    long pinned = System.nanoTime();
                    HttpResponse<String> pin = postJson(URI.create(viewer.session() + "/layer"), "{\"encodingId\":\"lo\"}");
                    assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
                    assertThat(events.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as("lo wanted again").containsExactly("mid");
                    awaitLayer(viewer, 0);
                    System.out.printf("WHIP layer pausing: lo and mid paused %d ms after the stream opened; pinned lo on screen "
                            + "%d ms after the pin%n", pausedAfter, (System.nanoTime() - pinned) / 1_000_000);
                    assertThat(viewer.failures()).isEmpty();
                }
            } finally {
                r.body().close();
                reader.interrupt();
            }
        }
    }

    /** Issue 21: a draining node tells each player with an event stream to reconnect (elsewhere) before it closes them. */
    @Test
    void aDrainingNodeSendsReconnectOnTheEventStream() throws Exception {
        String key = channel("draining");
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults())) {
            pub.send(pub.video().h264(90_000, true));
            try (PacketViewer viewer = PacketViewer.connect(URI.create(node.url("/api/whep/draining")), ClientOptions.defaults())) {
                HttpResponse<String> sub = postJson(URI.create(viewer.session() + "/sse"), "[\"viewercount\",\"reconnect\"]");
                assertThat(sub.statusCode()).as(sub.body()).isEqualTo(201);
                URI stream = URI.create(viewer.session() + "/sse").resolve(sub.headers().firstValue("Location").orElseThrow());
                AtomicBoolean draining = new AtomicBoolean();
                node.server.media().resource().drainingWhen(draining::get);
                try {
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(1500); // after the stream has opened and sent the viewer count
                        } catch (InterruptedException e) {
                            return;
                        }
                        draining.set(true);
                    });
                    Map<String, JsonNode> seen = readEvents(stream, List.of("viewercount", "reconnect"));
                    assertThat(seen).containsKey("reconnect");
                } finally {
                    node.server.media().resource().drainingWhen(() -> false);
                }
            }
        }
    }

    @Test
    void aStreamWithoutSimulcastHasNoLayerToChoose() throws Exception {
        String key = channel("single");
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults())) {
            pub.send(pub.video().h264(90_000, true));
            try (PacketViewer viewer = PacketViewer.connect(URI.create(node.url("/api/whep/single")), ClientOptions.defaults())) {
                HttpResponse<String> r = postJson(URI.create(viewer.session() + "/layer"), "{\"encodingId\":\"h\"}");
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(r.body()).contains("not sent in simulcast");
            }
        }
    }
}
