package live.cascade.api.whip;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.Test;

/**
 * Live channels are spread over the media workers by load (issue 19): each new broadcast goes to the worker carrying
 * the fewest, whatever its channel id, and a worker freed by ended broadcasts takes the next ones. A worker is told
 * apart by its UDP port, the candidate port in the WHIP answer. Untagged: in-process node, loopback publishers.
 */
class ChannelPlacementTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void newBroadcastsGoToTheLeastLoadedWorkerAndEndedOnesFreeTheirPlace() throws Exception {
        try (TestNode node = new TestNode("--hls-ladder", "off", "--recordings", "false", "--media-workers", "2",
                "--publisher-grace", "1s")) {
            Account owner = node.signup("placement_owner");
            List<PacketPublisher> live = new ArrayList<>();
            try {
                Map<Integer, List<String>> byPort = new TreeMap<>();
                for (int i = 1; i <= 4; i++) {
                    String slug = "placement-" + i;
                    PacketPublisher p = publish(node, channel(node, owner, slug), slug);
                    live.add(p);
                    byPort.computeIfAbsent(port(p), k -> new ArrayList<>()).add(slug);
                }
                assertThat(byPort).as("four broadcasts over two workers").hasSize(2);
                byPort.values().forEach(slugs -> assertThat(slugs).hasSize(2));

                // End both broadcasts of one worker; the next two broadcasts both go there.
                int freed = byPort.keySet().iterator().next();
                for (PacketPublisher p : List.copyOf(live)) {
                    if (port(p) != freed) continue;
                    assertThat(p.delete()).isEqualTo(200);
                    live.remove(p);
                    p.close();
                }
                for (String slug : byPort.get(freed)) {
                    StreamKeyRotationTest.await(slug + " ends", WAIT,
                            () -> !node.get("/api/channels/" + slug, null).json().at("/live").asBoolean());
                }
                for (int i = 5; i <= 6; i++) {
                    String slug = "placement-" + i;
                    PacketPublisher p = publish(node, channel(node, owner, slug), slug);
                    live.add(p);
                    assertThat(port(p)).as(slug + " goes to the worker the ended broadcasts freed").isEqualTo(freed);
                }
            } finally {
                for (PacketPublisher p : live) p.close();
            }
        }
    }

    private static int port(PacketPublisher p) {
        return p.answer().candidates().getFirst().getPort();
    }

    private static String channel(TestNode node, Account owner, String slug) {
        Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    private static PacketPublisher publish(TestNode node, String key, String slug) {
        PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false));
        pub.send(pub.video().h264(0, true));
        StreamKeyRotationTest.await(slug + " reads live", WAIT, () -> node.get("/api/channels/" + slug, null).json().at("/live").asBoolean());
        return pub;
    }
}
