package live.cascade.api.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.NodeProcess;
import live.cascade.api.OwnRedis;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.api.http.Json;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import live.cascade.sfu.testkit.client.PacketViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node processes sharing the real PostgreSQL (a schema of their own) and a Redis of the test's own (so it can be
 * stopped), with packet-level WHIP publishers and WHEP viewers (sfu's test kit): the registry, placement and fencing,
 * stop from another node, the WHEP redirect to the origin, and a Redis outage under a live channel.
 */
@Tag("integration")
class MultiNodeFleetTest {
    static final String SECRET = "multi-node-fleet-test-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Packet clients with 30 s for each step (the test kit's default is 10 s): a WHEP offer to a node that does not
     * hold the channel first opens a relay from the origin (HTTP, ICE, DTLS, the first keyframe), which on a loaded
     * machine takes seconds. No figure of the is measured through these waits.
     */
    static final ClientOptions CLIENT = ClientOptions.defaults().withAudio(false).withTimeout(Duration.ofSeconds(30));
    private static final AtomicInteger SEQ = new AtomicInteger();

    static OwnRedis redis;
    static SharedServices.PgSchema schema;
    static String namespace;
    static String[] args;
    static NodeProcess a;
    static NodeProcess b;
    static String idA;
    static String idB;
    static Account admin;

    @BeforeAll
    static void start() {
        SharedServices.requirePostgres();
        redis = new OwnRedis();
        redis.start();
        schema = SharedServices.PgSchema.create();
        namespace = "fleet-" + UUID.randomUUID();
        args = new String[]{"--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER, "--db-password", SharedServices.PG_PASSWORD,
                "--redis-url", redis.url(), "--redis-namespace", namespace, "--secret", SECRET, "--hls-ladder", "off"};
        List<NodeProcess> nodes = NodeProcess.startTogether(2, args);
        a = nodes.get(0);
        b = nodes.get(1);
        admin = a.http.signup("fleetadmin"); // the first account in the fresh schema is the administrator
        idA = a.http.get("/api/admin/nodes", admin.token()).json().at("/self").asText();
        idB = b.http.get("/api/admin/nodes", admin.token()).json().at("/self").asText();
        assertThat(idA).isNotEqualTo(idB);
        await("both nodes see each other", () -> nodeIds(a).containsAll(List.of(idA, idB)) && nodeIds(b).containsAll(List.of(idA, idB)));
    }

    @AfterAll
    static void stop() {
        NodeProcess.closeTogether(java.util.Arrays.asList(a, b));
        if (schema != null) schema.close();
        if (redis != null) redis.close();
    }

    @Test
    void aKilledNodeLeavesTheRegistryWithinSixSeconds() {
        try (NodeProcess c = NodeProcess.start(args)) {
            String idC = c.http.get("/api/admin/nodes", admin.token()).json().at("/self").asText();
            await("A sees C", () -> nodeIds(a).contains(idC));
            JsonNode listed = find(a.http.get("/api/admin/nodes", admin.token()).json().at("/nodes"), idC);
            assertThat(listed.at("/url").asText()).isEqualTo("http://127.0.0.1:" + c.port());
            assertThat(listed.at("/load/maxSessions").asInt()).isPositive();
            c.kill();
            long t0 = System.nanoTime();
            await("C gone from A's list", () -> !nodeIds(a).contains(idC));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[cluster] a SIGKILLed node left the registry after " + ms + " ms");
            // Its key expires 6 s after its last heartbeat, which was at most 2 s before the kill; room for polling.
            assertThat(ms).isLessThan(7_000);
        }
    }

    @Test
    void anAdministratorsDrainEndsTheNodesBroadcastsTurnsNewOnesAwayAndTheNodeExits() throws Exception {
        try (NodeProcess c = NodeProcess.start(args)) {
            String idC = c.http.get("/api/admin/nodes", admin.token()).json().at("/self").asText();
            await("A sees C", () -> nodeIds(a).contains(idC));
            Channel ch = channel();
            try (FleetClients.Streaming pub = FleetClients.Streaming.start(c, ch)) {
                awaitOrigin(a, ch, idC);
                assertThat(a.http.post("/api/admin/nodes/" + idC + "/drain", admin.token(), null).status()).isEqualTo(202);
                await("C's publisher session ended", () -> !pub.alive());
                long t0 = System.nanoTime();
                assertThat(c.awaitExit(Duration.ofSeconds(60))).as("C exits once drained").hasValue(0);
                System.out.println("[cluster] a drained node exited " + (System.nanoTime() - t0) / 1_000_000 + " ms after its last broadcast ended");
                await("C gone from A's list", () -> !nodeIds(a).contains(idC));
            }
        }
        assertThat(a.http.post("/api/admin/nodes/no-such-node/drain", admin.token(), null).status()).isEqualTo(404);
    }

    @Test
    void publishersAndViewersOfANodeOverItsLoadAreSteeredWithSingleUseTokens() throws Exception {
        // One node for both: it steers at half load and holds two sessions (one publisher, or a relay and a viewer).
        String[] busy = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--max-load", "0.5", "--max-sessions", "2")).toArray(String[]::new);
        try (NodeProcess d = NodeProcess.start(busy)) {
            String idD = d.http.get("/api/admin/nodes", admin.token()).json().at("/self").asText();
            await("A sees D", () -> nodeIds(a).contains(idD));
            aPublisherIsSteered(d, idD);
            aViewerIsSteered(d, idD);
        }
    }

    private void aPublisherIsSteered(NodeProcess d, String idD) throws Exception {
        // Its first publisher is taken: D is under its limit (one session of two is its limit, 0.5).
        await("D idle after its start", () -> load(a, idD).at("/utilisation").asDouble() < 0.5);
        Channel first = channel();
        Channel second = channel();
        try (FleetClients.Streaming one = FleetClients.Streaming.start(d, first)) {
            await("D reports itself half full", () -> load(a, idD).at("/utilisation").asDouble() >= 0.5);
            HttpResponse<String> steered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(d.url("/api/whip")))
                    .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + second.key)
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(steered.statusCode()).as(steered.body()).isEqualTo(307);
            String location = steered.headers().firstValue("Location").orElseThrow();
            assertThat(location).matches("http://127\\.0\\.0\\.1:(" + a.port() + "|" + b.port() + ")/api/whip\\?steer=st1\\..+");
            NodeProcess target = location.contains(":" + a.port() + "/") ? a : b;
            // The token stands in for the key (a client that dropped Authorization on the redirect), once.
            try (PacketPublisher pub = PacketPublisher.connect(URI.create(location), "not-the-key", CLIENT)) {
                pub.send(pub.video().h264(0, true));
                await("live on the target", () -> target.http.get("/api/channels/" + second.slug, null).json().at("/live").asBoolean());
                HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location))
                        .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).as("a used token").isEqualTo(401);
            }
        }
    }

    private void aViewerIsSteered(NodeProcess d, String idD) throws Exception {
        await("D idle again (the publisher part ended)", () -> load(a, idD).at("/utilisation").asDouble() < 0.5);
        Channel ch = channel();
        try (FleetClients.Streaming pub = FleetClients.Streaming.start(a, ch);
             PacketViewer first = connectViewer(d, ch)) {
            // Under its limit, D takes the first viewer itself (through its relay from A), which fills it to half or more.
            first.awaitCount("video", 30);
            await("D reports itself half full", () -> load(a, idD).at("/utilisation").asDouble() >= 0.5);
            HttpResponse<String> steered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(d.url("/api/whep/" + ch.slug)))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(steered.statusCode()).as(steered.body()).isEqualTo(307);
            String location = steered.headers().firstValue("Location").orElseThrow();
            assertThat(location).matches("http://127\\.0\\.0\\.1:(" + a.port() + "|" + b.port() + ")/api/whep/" + ch.slug + "\\?steer=sv1\\..+");
            NodeProcess target = location.contains(":" + a.port() + "/") ? a : b;
            String targetId = target == a ? idA : idB;
            // The token is the viewer's admission there, once; the target serves it (directly, or B relaying).
            try (PacketViewer second = PacketViewer.connect(URI.create(location), CLIENT)) {
                second.awaitCount("video", 30);
                await("the steered viewer counted on " + targetId, () -> load(a, targetId).at("/viewers").asInt() == 1);
                assertThat(load(a, idD).at("/viewers").asInt()).as("D kept only its first viewer").isEqualTo(1);
                HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location))
                        .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).as("a used token: %s", again.body()).isEqualTo(401);
                assertThat(again.body()).contains("used already");
            }
            // A channel live nowhere is not steered: D's own answer says it is offline.
            Channel offline = channel();
            HttpResponse<String> idle = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(d.url("/api/whep/" + offline.slug)))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(idle.statusCode()).as(idle.body()).isNotEqualTo(307);
        }
    }

    @Test
    void aChannelLiveOnAIsListedWatchedThroughBCountedOnBothAndStoppedFromB() throws Exception {
        Channel ch = channel();
        try (FleetClients.Streaming pub = FleetClients.Streaming.start(a, ch)) {
            awaitOrigin(b, ch, idA);
            JsonNode edges = b.http.get("/api/channels/" + ch.slug + "/edges", null).json();
            assertThat(edges.at("/origin/whepUrl").asText()).isEqualTo(a.url("/api/whep/" + ch.slug));
            List<String> listed = new ArrayList<>();
            edges.at("/nodes").forEach(n -> listed.add(n.at("/id").asText()));
            assertThat(listed).containsExactlyInAnyOrder(idA, idB);

            // A second publisher of the channel on B, while A (alive) holds it: refused before anything is negotiated,
            // with what to do and when to try again; A's broadcast goes on.
            HttpResponse<String> second = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.url("/api/whip")))
                    .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + ch.key)
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
            assertThat(second.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            assertThat(second.headers().firstValue("Retry-After")).contains("2");
            assertThat(Json.MAPPER.readTree(second.body()).at("/detail").asText()).contains("'" + ch.slug + "' is live on node " + idA)
                    .contains(a.url("")).contains("Stop the other publisher, or publish again in a few seconds");
            assertThat(pub.alive()).isTrue();

            // Stream health, measured where the publisher is, read through B.
            Response health = b.http.get("/api/channels/" + ch.slug + "/stream/health", ch.owner.token());
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            assertThat(health.json().at("/tracks").isArray()).as(health.body()).isTrue();
            // HLS is made on the origin: B redirects there, path and query kept.
            HttpResponse<String> hls = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.url("/hls/" + ch.slug + "/master.m3u8?token=x")))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hls.statusCode()).isEqualTo(302);
            assertThat(hls.headers().firstValue("Location")).contains(a.url("/hls/" + ch.slug + "/master.m3u8?token=x"));

            // WHEP on B, which does not hold the channel: B relays it from A and serves its viewers itself.
            try (PacketViewer one = connectViewer(b, ch); PacketViewer two = connectViewer(b, ch)) {
                one.awaitCount("video", 30);
                two.awaitCount("video", 30);
                // From A's own count: its publisher and one relay session, however many viewers B serves; B's
                // viewers that went to A directly would make it 4.
                await("A carries the publisher and one relay, B two viewers and the relay's publisher",
                        () -> load(a, idA).at("/sessions").asInt() == 2 && load(a, idA).at("/viewers").asInt() == 0
                                && load(b, idB).at("/viewers").asInt() == 2);
                // The viewer count, read on either node, is the channel's whole audience.
                await("count 2 on A and B", () -> viewers(a, ch) == 2 && viewers(b, ch) == 2);
                try (PacketViewer direct = connectViewer(a, ch)) {
                    direct.awaitCount("video", 30);
                    await("count 3 on A and B", () -> viewers(a, ch) == 3 && viewers(b, ch) == 3);
                }
            }
            await("B's viewers gone from the count", () -> viewers(a, ch) == 0 && viewers(b, ch) == 0);
            // The peak counts the viewers of both nodes together.
            assertThat(b.http.get("/api/channels/" + ch.slug + "/sessions", ch.owner.token()).json().at("/items/0/peakViewers").asInt())
                    .isEqualTo(3);

            // Without a relay (one that cannot be opened), WHEP on B is a 307 to the origin: see RelayFallback.
            // Stop from B: the command reaches A, which holds the publisher.
            Response stop = b.http.post("/api/channels/" + ch.slug + "/stream/stop", ch.owner.token(), null);
            assertThat(stop.status()).isEqualTo(202);
            await("publisher's session ended on A", () -> !pub.alive());
            await("offline on B", () -> !b.http.get("/api/channels/" + ch.slug, null).json().at("/live").asBoolean());
            assertThat(b.http.post("/api/channels/" + ch.slug + "/stream/stop", ch.owner.token(), null).status()).isEqualTo(409);
        }
    }

    @Test
    void anOriginWhoseClaimWasTakenEndsItsBroadcast() throws Exception {
        Channel ch = channel();
        try (FleetClients.Streaming pub = FleetClients.Streaming.start(a, ch)) {
            awaitOrigin(b, ch, idA);
            // Another node took the channel over with a newer token (as after a failover A missed).
            String key = namespace + ":placement:" + ch.id;
            assertThat(FleetClients.redisCommand(redis.port, "SET", key, "intruder 999999999", "EX", "60")).isEqualTo("+OK");
            long t0 = System.nanoTime();
            await("A ends the fenced broadcast", () -> !pub.alive());
            System.out.println("[cluster] a fenced origin ended its broadcast " + (System.nanoTime() - t0) / 1_000_000 + " ms after losing its claim");
            assertThat(FleetClients.redisCommand(redis.port, "GET", key)).as("A did not take the claim back").contains("intruder 999999999");
            FleetClients.redisCommand(redis.port, "DEL", key);
        }
    }

    @Test
    void redisAwayForTenSecondsLeavesTheChannelPlayingAndPlacementRecovers() throws Exception {
        Channel ch = channel();
        try (FleetClients.Streaming pub = FleetClients.Streaming.start(a, ch);
             PacketViewer viewer = connectViewer(a, ch)) {
            awaitOrigin(b, ch, idA);
            viewer.awaitCount("video", 30);
            // Steady state: what the two nodes ask of Redis with one live channel and a viewer (the test's own
            // reads of it above are done; INFO itself is one command).
            long c0 = FleetClients.commandsProcessed(redis.port);
            Thread.sleep(10_000);
            double perNode = (FleetClients.commandsProcessed(redis.port) - c0 - 1) / 10.0 / 2;
            System.out.println("[cluster] Redis commands per second per node at steady state: " + perNode);
            assertThat(perNode).isLessThan(50);
            redis.stop();
            try {
                long t0 = System.nanoTime();
                int before = viewer.received("video").size();
                while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                    assertThat(pub.alive()).as("publisher on A while Redis is away").isTrue();
                    Thread.sleep(500);
                }
                assertThat(viewer.received("video").size()).as("video kept arriving without Redis").isGreaterThan(before + 100);
            } finally {
                redis.start(); // empty: the claim and the registry start over
            }
            long t1 = System.nanoTime();
            awaitOrigin(b, ch, idA);
            await("both nodes listed again", () -> nodeIds(b).containsAll(List.of(idA, idB)));
            System.out.println("[cluster] placement recovered " + (System.nanoTime() - t1) / 1_000_000 + " ms after Redis came back");
            assertThat(pub.alive()).isTrue();
        }
    }

    // ---- helpers ----

    record Channel(long id, String slug, Account owner, String key) {
    }

    static Channel channel() {
        int n = SEQ.incrementAndGet();
        Account owner = a.http.signup("fleetowner" + n);
        String slug = "fleet" + n;
        long id = a.http.createChannel(owner, slug);
        String key = a.http.get("/api/channels/" + slug + "/stream-key", owner.token()).json().at("/streamKey").asText();
        return new Channel(id, slug, owner, key);
    }

    static PacketViewer connectViewer(NodeProcess n, Channel ch) {
        return PacketViewer.connect(URI.create(n.url("/api/whep/" + ch.slug)), CLIENT);
    }

    /** The load node {@code id} reported in its last heartbeat, as {@code n} reads it from the registry. */
    static JsonNode load(NodeProcess n, String id) {
        return find(n.http.get("/api/admin/nodes", admin.token()).json().at("/nodes"), id).at("/load");
    }

    static int viewers(NodeProcess n, Channel ch) {
        return n.http.get("/api/channels/" + ch.slug, null).json().at("/viewerCount").asInt();
    }

    static void awaitOrigin(NodeProcess n, Channel ch, String origin) {
        await(n + " names " + origin + " the origin of " + ch.slug,
                () -> n.http.get("/api/channels/" + ch.slug + "/edges", null).json().at("/origin/id").asText().equals(origin));
    }

    static List<String> nodeIds(NodeProcess n) {
        List<String> ids = new ArrayList<>();
        n.http.get("/api/admin/nodes", admin.token()).json().at("/nodes").forEach(x -> ids.add(x.at("/id").asText()));
        return ids;
    }

    static JsonNode find(JsonNode nodes, String id) {
        for (JsonNode n : nodes) if (n.at("/id").asText().equals(id)) return n;
        throw new AssertionError("no node " + id + " in " + nodes);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "\n--- node A ---\n" + tail(a) + "\n--- node B ---\n" + tail(b));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String tail(NodeProcess n) {
        if (n == null) return "";
        String out = n.output();
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    }
}
