package live.cascade.api.whip;

import live.cascade.api.LoopbackHttp;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import live.cascade.sfu.testkit.client.PacketViewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission limits of WHIP and WHEP against a real node: a flood of offers from one address (127.0.0.2, a second
 * client on loopback) is refused with 429 while a viewer from 127.0.0.1 still plays; viewers filling their share never
 * lock out a publisher, nor publishers the viewers; an offer that never does ICE is reaped within 10 s and frees its
 * slot. Untagged: the node runs in process on embedded H2 and media stays on loopback.
 *
 * <p>The node has 8 sessions: a publisher reserve of 2 and a viewer share of 6; 3 pending WHEP sessions per address.
 * Every test ends its sessions, so the shares are empty between tests.
 */
class MediaAdmissionTest {
    private static final String FLOODER = "127.0.0.2";
    private static final int PENDING_PER_IP = 3;

    static TestNode node;
    static Account owner;

    @BeforeAll
    static void start() {
        node = new TestNode("--recordings", "false", "--max-sessions", "8", "--publisher-reserve", "2",
                "--whep-pending-per-ip", Integer.toString(PENDING_PER_IP));
        node.signup("admission_admin");
        owner = node.signup("admission_owner");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aWhepFloodFromOneAddressGets429WhileAViewerFromAnotherAddressStillPlays() {
        String key = channel("adm-flood");
        LoopbackHttp flooder = new LoopbackHttp(FLOODER, node.server.port());
        List<String> pending = new ArrayList<>();
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false))) {
            pub.send(pub.video().h264(0, true));
            for (int i = 0; i < PENDING_PER_IP; i++) {
                Response r = whep(flooder, "adm-flood");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                pending.add(r.header("Location"));
            }
            Response refused = whep(flooder, "adm-flood");
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 10);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().at("/detail").asText()).contains("have not finished connecting");

            // The flood goes on (a short bounded loop) while a real viewer from 127.0.0.1 joins the same channel.
            long floodStart = System.nanoTime();
            int refusedInLoop = 0;
            int requests = 0;
            try (PacketViewer viewer = PacketViewer.connect(URI.create(node.url("/api/whep/adm-flood")), ClientOptions.defaults())) {
                long until = System.nanoTime() + 3_000_000_000L;
                int ts = 3000;
                while (System.nanoTime() < until) {
                    Response r = whep(flooder, "adm-flood");
                    requests++;
                    if (r.status() == 429) refusedInLoop++;
                    if (requests % 20 == 0) {
                        pub.send(pub.video().h264(ts, true));
                        ts += 3000;
                    }
                }
                double seconds = (System.nanoTime() - floodStart) / 1e9;
                System.out.printf("[admission] refused %d of %d WHEP offers from %s in %.1f s (%.0f/s, one client thread) while a viewer on 127.0.0.1 played%n",
                        refusedInLoop, requests, FLOODER, seconds, refusedInLoop / seconds);
                assertThat(refusedInLoop).as("every offer past the cap is refused").isEqualTo(requests);

                pub.send(pub.video().h264(ts, true));
                assertThat(viewer.awaitCount("video", 3)).as("the viewer from 127.0.0.1 receives video").hasSizeGreaterThanOrEqualTo(3);
            }
            assertThat(metric("whep_pending_per_ip")).isGreaterThanOrEqualTo(1 + refusedInLoop);
        } finally {
            for (String location : pending) flooder.send("DELETE", location, null);
        }
    }

    @Test
    void viewersFillingTheirShareNeverLockOutAPublisherNorPublishersTheViewers() {
        String keyA = channel("adm-share-a");
        String keyB = channel("adm-share-b");
        String keyC = channel("adm-share-c");
        List<String[]> opened = new ArrayList<>(); // {address, location}
        List<String> publishers = new ArrayList<>();
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), keyA, ClientOptions.defaults().withAudio(false))) {
            // Six viewers (the whole viewer share) from two addresses, three still-connecting sessions each.
            for (String address : new String[]{"127.0.0.3", "127.0.0.4"}) {
                LoopbackHttp client = new LoopbackHttp(address, node.server.port());
                for (int i = 0; i < PENDING_PER_IP; i++) {
                    Response r = whep(client, "adm-share-a");
                    assertThat(r.status()).as(r.body()).isEqualTo(201);
                    opened.add(new String[]{address, r.header("Location")});
                }
            }
            Response noRoom = whep(new LoopbackHttp("127.0.0.5", node.server.port()), "adm-share-a");
            assertThat(noRoom.status()).as(noRoom.body()).isEqualTo(503);
            assertThat(noRoom.header("Retry-After")).isNotNull();
            assertThat(noRoom.json().at("/detail").asText()).contains("limit of 6 viewers");
            Response viewersFull = node.get("/readyz", null);
            assertThat(viewersFull.status()).isEqualTo(200);
            assertThat(viewersFull.json().at("/media/status").asText()).isEqualTo("degraded");
            assertThat(viewersFull.json().at("/media/viewers").asInt()).isEqualTo(6);

            Response publishB = whip(keyB);
            assertThat(publishB.status()).as("a publisher on another channel while viewers fill their share: " + publishB.body()).isEqualTo(201);
            publishers.add(publishB.header("Location"));

            Response publishC = whip(keyC);
            assertThat(publishC.status()).as("past the publishers' reserve of 2: " + publishC.body()).isEqualTo(503);
            assertThat(publishC.json().at("/detail").asText()).contains("limit of 2 publishers");
            Response bothFull = node.get("/readyz", null);
            assertThat(bothFull.status()).isEqualTo(503);
            assertThat(bothFull.json().at("/media/status").asText()).isEqualTo("down");

            assertThat(metric("viewer_share_full")).isGreaterThanOrEqualTo(1);
            assertThat(metric("publisher_share_full")).isGreaterThanOrEqualTo(1);
        } finally {
            for (String location : publishers) node.send("DELETE", location, null, null, "Authorization", "Bearer " + keyB);
            for (String[] o : opened) new LoopbackHttp(o[0], node.server.port()).send("DELETE", o[1], null);
        }
        // With the viewers gone, a publisher's reserve is full no more and viewers are admitted again.
        Response ready = node.get("/readyz", null);
        assertThat(ready.json().at("/media/viewers").asInt()).as(ready.body()).isZero();
        assertThat(ready.json().at("/media/publishers").asInt()).as(ready.body()).isZero();
    }

    @Test
    void anOfferThatNeverDoesIceIsReapedWithinTenSecondsAndFreesItsSlot() throws InterruptedException {
        String key = channel("adm-reap");
        LoopbackHttp client = new LoopbackHttp("127.0.0.6", node.server.port());
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false))) {
            long created = System.nanoTime();
            List<String> locations = new ArrayList<>();
            for (int i = 0; i < PENDING_PER_IP; i++) {
                Response r = whep(client, "adm-reap");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                locations.add(r.header("Location"));
            }
            assertThat(whep(client, "adm-reap").status()).as("the address is at its cap").isEqualTo(429);

            // GET on a WHEP session answers 204 while it exists and 404 once it is gone.
            long deadline = created + 12_000_000_000L;
            while (System.nanoTime() < deadline && locations.stream().anyMatch(l -> client.send("GET", l, null).status() != 404)) {
                Thread.sleep(200);
            }
            double reapedAfter = (System.nanoTime() - created) / 1e9;
            for (String l : locations) assertThat(client.send("GET", l, null).status()).as("reaped: " + l).isEqualTo(404);
            System.out.printf("[admission] %d offers without ICE reaped %.1f s after they were made%n", locations.size(), reapedAfter);
            assertThat(reapedAfter).isLessThan(10.0);

            Response again = whep(client, "adm-reap");
            assertThat(again.status()).as("the reaped sessions freed the address's slots: " + again.body()).isEqualTo(201);
            client.send("DELETE", again.header("Location"), null);
        }
    }

    // ---- helpers ----

    private static String channel(String slug) {
        Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    private static Response whep(LoopbackHttp client, String slug) {
        return client.sendTyped("POST", "/api/whep/" + slug, "application/sdp", fixture("chromium-viewer-offer.sdp"));
    }

    private static Response whip(String key) {
        return node.send("POST", "/api/whip", null, fixture("chromium-publisher-offer.sdp"), "Content-Type", "application/sdp",
                "Authorization", "Bearer " + key);
    }

    private static long metric(String reason) {
        String text = node.get("/metrics", null).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("cascade_refusals_total{") && line.contains("reason=\"" + reason + "\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no cascade_refusals_total series for " + reason);
    }

    private static String fixture(String name) {
        try (InputStream in = MediaAdmissionTest.class.getResourceAsStream("/whip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
