package live.cascade.api.whip;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --broadcasts-per-account}: an account with that many broadcasts live gets 429 (a problem document with
 * {@code Retry-After}) when it publishes on another of its channels, before anything is negotiated; ending one frees
 * the place; other accounts and administrators are not held back. Untagged: the node runs in process on embedded H2
 * and the packet-level publishers stay on loopback.
 */
class BroadcastsPerAccountTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAccountPastItsLiveBroadcastsGets429UntilOneEndsWhileOthersAndAdminsGoLive() throws Exception {
        try (TestNode node = new TestNode("--hls-ladder", "off", "--recordings", "false", "--broadcasts-per-account", "1",
                // an ended publisher frees its place when its broadcast ends, after the grace
                "--publisher-grace", "1s")) {
            Account admin = node.signup("bpa_admin");
            Account owner = node.signup("bpa_owner");
            String firstKey = channel(node, owner, "bpa-one");
            String secondKey = channel(node, owner, "bpa-two");

            try (PacketPublisher first = live(node, firstKey, "bpa-one")) {
                HttpResponse<String> refused = whip(node, secondKey);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("already has 1 other broadcast live").contains("end one of them");

                // The same channel may be published again (a reconnecting encoder replaces its own broadcast).
                assertThat(whip(node, firstKey).statusCode()).as("the live channel itself is not counted").isNotEqualTo(429);

                try (PacketPublisher other = live(node, channel(node, node.signup("bpa_other"), "bpa-other"), "bpa-other");
                     PacketPublisher a1 = live(node, channel(node, admin, "bpa-admin-1"), "bpa-admin-1");
                     PacketPublisher a2 = live(node, channel(node, admin, "bpa-admin-2"), "bpa-admin-2")) {
                    assertThat(node.get("/api/channels/bpa-admin-2", null).json().at("/live").asBoolean())
                            .as("administrators are not limited").isTrue();
                }
                assertThat(first.delete()).isEqualTo(200);
            }
            StreamKeyRotationTest.await("the first broadcast is recorded as ended", WAIT,
                    () -> !node.get("/api/channels/bpa-one", null).json().at("/live").asBoolean());
            try (PacketPublisher second = live(node, secondKey, "bpa-two")) {
                assertThat(second.delete()).as("ending one broadcast frees the place").isEqualTo(200);
            }
            assertThat(node.get("/metrics", null).body()).containsPattern("cascade_refusals_total\\{reason=\"broadcasts_per_account\"\\} 1");
        }
    }

    private static String channel(TestNode node, Account owner, String slug) {
        Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    /** Goes live and waits until the node has recorded the broadcast (what the cap counts). */
    private static PacketPublisher live(TestNode node, String key, String slug) {
        PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false));
        pub.send(pub.video().h264(0, true));
        StreamKeyRotationTest.await(slug + " reads live", WAIT, () -> node.get("/api/channels/" + slug, null).json().at("/live").asBoolean());
        return pub;
    }

    private static HttpResponse<String> whip(TestNode node, String key) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(node.url("/api/whip")))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
