package live.cascade.api.cluster;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node form: the registry is this process's memory, so it holds this node (and, in tests, whatever else
 * announces itself), each entry gone {@link #GONE_AFTER} after its last announcement by the given clock.
 */
public final class LocalNodeRegistry implements NodeRegistry {
    private record Entry(NodeInfo node, Instant seen) {
    }

    private final Clock clock;
    private final Map<String, Entry> nodes = new ConcurrentHashMap<>();

    public LocalNodeRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void announce(NodeInfo self) {
        nodes.put(self.id(), new Entry(self, clock.instant()));
    }

    @Override
    public void leave(String nodeId) {
        nodes.remove(nodeId);
    }

    @Override
    public List<NodeInfo> alive() {
        Instant cutoff = clock.instant().minus(GONE_AFTER);
        nodes.values().removeIf(e -> !e.seen().isAfter(cutoff));
        return nodes.values().stream().map(Entry::node).toList();
    }

    @Override
    public void close() {
        nodes.clear();
    }
}
