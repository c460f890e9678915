package live.cascade.api.ice;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import live.cascade.signaling.session.SelectedPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the node's sessions reach it, as {@code cascade_media_sessions_by_path{path="udp|tcp|turn"}}: direct UDP, passive
 * ICE-TCP, or relayed by the TURN server named in {@code --turn-urls} (its media comes from the relay's address). An
 * operator reads from it how many viewers need the fallbacks. No per-session label: three series whatever the load.
 *
 * <p>The node sees a relayed session only as UDP from the relay, so which transport the client used to reach the
 * relay (TURN over UDP, TCP or TLS) is the client's to know: the web app shows it, the metric says {@code turn}.
 */
public final class SessionPaths {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPaths.class);
    /** Scrapes within this reuse one count (one pass over the sessions serves every series). */
    private static final long CACHE_NANOS = 1_000_000_000L;

    /** A session's path, as the metric labels it. */
    public enum Path {
        UDP, TCP, TURN;

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    private final Set<InetAddress> relayAddresses;
    private final Supplier<List<SelectedPath>> source;
    private Map<Path, Integer> cached = new EnumMap<>(Path.class);
    private long cachedAt = Long.MIN_VALUE;

    public SessionPaths(Set<InetAddress> relayAddresses, Supplier<List<SelectedPath>> source) {
        this.relayAddresses = Set.copyOf(relayAddresses);
        this.source = source;
    }

    /** The addresses the hosts of these turn:/turns: URLs resolve to now (a host that does not resolve is logged). */
    public static Set<InetAddress> relayAddresses(List<String> turnUrls) {
        Set<InetAddress> out = new HashSet<>();
        for (String url : turnUrls) {
            String host = host(url);
            try {
                out.addAll(List.of(InetAddress.getAllByName(host)));
            } catch (UnknownHostException e) {
                LOG.warn("TURN host {} (from {}) does not resolve: its relayed sessions count as udp in cascade_media_sessions_by_path", host, url);
            }
        }
        return out;
    }

    /** The host of {@code turn:host:port?transport=...} / {@code turns:[v6]:port}. */
    static String host(String url) {
        String rest = url.substring(url.indexOf(':') + 1);
        int query = rest.indexOf('?');
        if (query >= 0) rest = rest.substring(0, query);
        if (rest.startsWith("[")) return rest.substring(1, rest.indexOf(']'));
        int colon = rest.lastIndexOf(':');
        return colon >= 0 ? rest.substring(0, colon) : rest;
    }

    public Path classify(SelectedPath p) {
        if (p.tcp()) return Path.TCP;
        return relayAddresses.contains(p.remote().getAddress()) ? Path.TURN : Path.UDP;
    }

    /** Sessions per path now (every path present, zero or more). */
    public synchronized Map<Path, Integer> counts() {
        long now = System.nanoTime();
        if (cachedAt != Long.MIN_VALUE && now - cachedAt < CACHE_NANOS) return cached;
        Map<Path, Integer> out = new EnumMap<>(Path.class);
        for (Path path : Path.values()) out.put(path, 0);
        for (SelectedPath p : source.get()) out.merge(classify(p), 1, Integer::sum);
        cached = out;
        cachedAt = now;
        return out;
    }

    public void bind(MeterRegistry registry) {
        for (Path path : Path.values()) {
            Gauge.builder("cascade_media_sessions_by_path", this, s -> s.counts().get(path))
                    .description("WHIP and WHEP sessions by the path ICE selected: udp (direct), tcp (ICE-TCP), turn (relayed)")
                    .tag("path", path.label())
                    .strongReference(true)
                    .register(registry);
        }
    }
}
