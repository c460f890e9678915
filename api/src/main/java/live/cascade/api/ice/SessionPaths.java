package live.cascade.api.ice;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import live.cascade.signaling.session.SelectedPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the node's sessions reach it, as {@code cascade_media_sessions_by_path{path=...}}: {@code udp} (direct),
 * {@code tcp} (passive ICE-TCP), or relayed by the TURN server named in {@code --turn-urls} (its media comes from the
 * relay's address): {@code turn-udp}, {@code turn-tcp}, {@code turn-tls}, or {@code turn} while the client has not
 * said how it reaches the relay. An operator reads from it how many viewers need the fallbacks. No per-session label:
 * six series whatever the load.
 *
 * <p>Why the client says it: coturn relays every allocation to the node over UDP from its relay address, whatever
 * transport the client used on its side, so nothing the node receives tells TURN/UDP from TURN/TLS. The browser does
 * know: its selected pair's local candidate is the relay candidate, whose stats carry the relayed address and port
 * (exactly the remote address the node sees for the session) and {@code relayProtocol}. The web player reports that
 * pair in its QoE beacon ({@link #reportRelay}); it is believed only for an address the node really sees as a relayed
 * session, so a client can relabel nothing but a relayed session's transport, and sessions of clients that never
 * report (FFmpeg, OBS) stay plain {@code turn}.
 */
public final class SessionPaths {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPaths.class);
    /** Scrapes within this reuse one count (one pass over the sessions serves every series). */
    private static final long CACHE_NANOS = 1_000_000_000L;

    /** A session's path, as the metric labels it. */
    public enum Path {
        UDP, TCP, TURN_UDP, TURN_TCP, TURN_TLS, TURN;

        public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        static Path relayedOver(String transport) {
            return switch (transport) {
                case "udp" -> TURN_UDP;
                case "tcp" -> TURN_TCP;
                case "tls" -> TURN_TLS;
                default -> TURN;
            };
        }
    }

    /** What a client said about one relayed address, and when (System.nanoTime). */
    private record RelayReport(Path path, long at) {
    }

    /** Reports for addresses no session uses any more are dropped after this (the report may precede a recount). */
    private static final long REPORT_GRACE_NANOS = 120_000_000_000L;
    private static final int MAX_REPORTS = 10_000;
    private final Map<InetSocketAddress, RelayReport> reports = new ConcurrentHashMap<>();

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
        if (!relayAddresses.contains(p.remote().getAddress())) return Path.UDP;
        RelayReport r = reports.get(p.remote());
        return r == null ? Path.TURN : r.path();
    }

    /**
     * A client's word that its relay candidate {@code relayed} reaches the relay over {@code transport} (udp, tcp,
     * tls). Kept only for an address of the configured TURN server; believed only while a session's remote is that
     * address.
     */
    public void reportRelay(InetSocketAddress relayed, String transport) {
        if (!relayAddresses.contains(relayed.getAddress())) return;
        if (reports.size() >= MAX_REPORTS) forgetStale(System.nanoTime());
        if (reports.size() >= MAX_REPORTS) return;
        reports.put(relayed, new RelayReport(Path.relayedOver(transport), System.nanoTime()));
        synchronized (this) {
            cachedAt = Long.MIN_VALUE; // the next scrape counts with it
        }
    }

    private void forgetStale(long now) {
        reports.values().removeIf(r -> now - r.at() > REPORT_GRACE_NANOS);
    }

    /** Sessions per path now (every path present, zero or more). */
    public synchronized Map<Path, Integer> counts() {
        long now = System.nanoTime();
        if (cachedAt != Long.MIN_VALUE && now - cachedAt < CACHE_NANOS) return cached;
        Map<Path, Integer> out = new EnumMap<>(Path.class);
        for (Path path : Path.values()) out.put(path, 0);
        Set<InetSocketAddress> inUse = new HashSet<>();
        for (SelectedPath p : source.get()) {
            out.merge(classify(p), 1, Integer::sum);
            inUse.add(p.remote());
        }
        reports.entrySet().removeIf(e -> !inUse.contains(e.getKey()) && now - e.getValue().at() > REPORT_GRACE_NANOS);
        cached = out;
        cachedAt = now;
        return out;
    }

    public void bind(MeterRegistry registry) {
        for (Path path : Path.values()) {
            Gauge.builder("cascade_media_sessions_by_path", this, s -> s.counts().get(path))
                    .description("WHIP and WHEP sessions by the path ICE selected: udp (direct), tcp (ICE-TCP), turn-udp/turn-tcp/turn-tls (relayed; the transport to the relay as the web player reports it), turn (relayed, transport not reported)")
                    .tag("path", path.label())
                    .strongReference(true)
                    .register(registry);
        }
    }
}
