package live.cascade.api.cluster;

import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's heartbeat and expiry with a clock the test moves, and choosing a node by load. */
class NodeRegistryAndChooserTest {
    private final ManualClock clock = new ManualClock();

    static NodeInfo node(String id, int sessions, double cpu) {
        return new NodeInfo(id, "http://" + id + ":8080", "", new NodeLoad(sessions, sessions, 100, sessions * 2.5, cpu), false);
    }

    @Test
    void aNodeIsAliveUntilSixSecondsAfterItsLastHeartbeat() {
        LocalNodeRegistry registry = new LocalNodeRegistry(clock);
        registry.announce(node("a", 0, 0));
        registry.announce(node("b", 0, 0));
        for (int i = 0; i < 5; i++) {
            clock.advance(NodeRegistry.HEARTBEAT);
            registry.announce(node("a", i, 0)); // b fell silent
        }
        assertThat(registry.alive()).extracting(NodeInfo::id).containsExactly("a");
        assertThat(registry.node("a").orElseThrow().load().sessions()).isEqualTo(4);

        registry.announce(node("b", 0, 0));
        clock.advance(NodeRegistry.GONE_AFTER.minusMillis(1));
        assertThat(registry.alive()).extracting(NodeInfo::id).containsExactlyInAnyOrder("a", "b");
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.alive()).isEmpty();

        registry.announce(node("c", 0, 0));
        registry.leave("c");
        assertThat(registry.alive()).isEmpty();
    }

    @Test
    void leastLoadedSkipsDrainingAndExcludedNodesAndOrdersByUtilisation() {
        NodeInfo busy = node("busy", 80, 0.2);
        NodeInfo hot = node("hot", 10, 0.9); // few sessions, but its CPU is what runs out
        NodeInfo idle = node("idle", 5, 0.1);
        NodeInfo draining = node("draining", 0, 0).withDraining(true);
        NodeInfo origin = node("origin", 0, 0);
        assertThat(NodeChooser.leastLoaded(List.of(busy, hot, idle, draining, origin), Set.of("origin")))
                .extracting(NodeInfo::id).containsExactly("idle", "busy", "hot");
    }

    @Test
    void twoRandomChoicesNeverPicksTheMostLoadedAndSpreadsNewSessions() {
        List<NodeInfo> nodes = List.of(node("n1", 10, 0), node("n2", 20, 0), node("n3", 30, 0), node("n4", 90, 0));
        NodeChooser chooser = new NodeChooser(new SplittableRandom(21));
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            picks.merge(chooser.twoRandomChoices(nodes, Set.of(), 1.0).orElseThrow().id(), 1, Integer::sum);
        }
        // The best of two random picks: n1 wins 3 of 6 pairs, n2 2, n3 1, n4 none.
        assertThat(picks).doesNotContainKey("n4");
        assertThat(picks.get("n1")).isGreaterThan(picks.get("n2"));
        assertThat(picks.get("n2")).isGreaterThan(picks.get("n3"));
        assertThat(picks.get("n3")).isGreaterThan(100);
    }

    @Test
    void twoRandomChoicesLeavesOutFullNodesAndAnswersEmptyWhenAllAre() {
        NodeChooser chooser = new NodeChooser(new SplittableRandom(1));
        List<NodeInfo> nodes = List.of(node("full", 95, 0), node("ok", 50, 0));
        for (int i = 0; i < 50; i++) assertThat(chooser.twoRandomChoices(nodes, Set.of(), 0.9).orElseThrow().id()).isEqualTo("ok");
        assertThat(chooser.twoRandomChoices(nodes, Set.of("ok"), 0.9)).isEmpty();
    }
}
