package live.cascade.api.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks a node for a new session by load. Draining nodes and those named in {@code excluded} are never picked.
 * {@link #leastLoaded} sorts everything (for a short list a person reads: {@code /edges}); {@link #twoRandomChoices}
 * is what steering uses, because when many nodes decide at once from the same 2 s old loads, "least loaded" sends
 * them all to the same node, while the better of two random picks spreads them and is still close to the best.
 */
public final class NodeChooser {
    /** Least utilised first; ties by fewer viewers, then by id so the order is stable. */
    public static final Comparator<NodeInfo> BY_LOAD = Comparator.<NodeInfo>comparingDouble(n -> n.load().utilisation())
            .thenComparingInt(n -> n.load().viewers())
            .thenComparing(NodeInfo::id);

    private final RandomGenerator random;

    public NodeChooser(RandomGenerator random) {
        this.random = random;
    }

    /** The candidates that take new sessions, least loaded first. */
    public static List<NodeInfo> leastLoaded(List<NodeInfo> nodes, Set<String> excluded) {
        return nodes.stream().filter(n -> !n.draining() && !excluded.contains(n.id())).sorted(BY_LOAD).toList();
    }

    /** The less loaded of two distinct random candidates (the only one when there is one); empty when none. */
    public Optional<NodeInfo> twoRandomChoices(List<NodeInfo> nodes, Set<String> excluded, double maxUtilisation) {
        List<NodeInfo> open = nodes.stream().filter(n -> !n.draining() && !excluded.contains(n.id())
                && n.load().utilisation() < maxUtilisation).toList();
        if (open.isEmpty()) return Optional.empty();
        if (open.size() == 1) return Optional.of(open.getFirst());
        int i = random.nextInt(open.size());
        int j = random.nextInt(open.size() - 1);
        if (j >= i) j++;
        NodeInfo a = open.get(i);
        NodeInfo b = open.get(j);
        return Optional.of(BY_LOAD.compare(a, b) <= 0 ? a : b);
    }
}
