package live.cascade.api.ice;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * pair in its QoE beacon and the studio at {@code POST /api/ice-servers/relay} ({@link #reportRelay}).
 *
 * <p>A report is bound to the session it names (its WHIP/WHEP resource id) and believed only while that session's
 * selected remote is the reported address of the configured TURN server: a client can relabel nothing but its own
 * relayed session's transport, sessions of clients that never report (FFmpeg, OBS) stay plain {@code turn}, and a
 * later session that coturn happens to give the same relayed address and port is not mislabelled by an old report
 * (reports were once keyed by address alone, and a report kept for its grace period labelled such a newcomer).
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

    /** What a client said about its session's relayed address, and when (System.nanoTime). */
    private record RelayReport(InetSocketAddress relayed, Path path, long at) {
    }

    /** What became of a report (the studio's endpoint answers by it). */
    public enum Outcome {
        /** The named session is relayed from the reported address: it counts by the reported transport now. */
        APPLIED,
        /** The named session has no selected path (yet): kept a while, believed once its path matches. */
        PENDING,
        /** The named session's media comes from another address (or over ICE-TCP): not believed. */
        OTHER_ADDRESS,
        /** The reported address is not one of the configured TURN server's: not believed. */
        NOT_THE_RELAY,
        /** Too many reports wait for sessions the node has not seen: not kept. */
        FULL
    }

    /**
     * A report for a session that has no selected path yet waits this long for it (the browser may see its pair a
     * moment before the node does), then is dropped. Ids are random and never reused, so waiting mislabels nobody.
     */
    static final long REPORT_GRACE_NANOS = 60_000_000_000L;
    /** Waiting reports at most: made-up ids cost memory and nothing else, and no more of it than this. */
    private static final int MAX_PENDING = 1_000;
    /** By session id, reports for sessions seen with a selected path; dropped when the session is gone. */
    private final Map<String, RelayReport> reports = new ConcurrentHashMap<>();
    /** By session id, reports for sessions not seen yet. */
    private final Map<String, RelayReport> pending = new ConcurrentHashMap<>();

    private final Set<InetAddress> relayAddresses;
    private final Supplier<List<SelectedPath>> source;
    private Map<Path, Integer> cached = new EnumMap<>(Path.class);
    private long cachedAt = Long.MIN_VALUE;

    public SessionPaths(Set<InetAddress> relayAddresses, Supplier<List<SelectedPath>> source) {
        this.relayAddresses = Set.copyOf(relayAddresses);
        this.source = source;
    }

    /** Whether a TURN server is configured at all (else no session is ever relayed). */
    public boolean relaying() {
        return !relayAddresses.isEmpty();
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
        RelayReport r = reports.get(p.sessionId());
        return r != null && r.relayed().equals(p.remote()) ? r.path() : Path.TURN;
    }

    /**
     * A client's word that its session {@code claim.session()} is relayed from {@code claim.relayed()} and reaches the
     * relay over {@code claim.transport()} (udp, tcp, tls). Kept for that session only, and believed only while the
     * session's selected remote is that address of the configured TURN server.
     */
    public Outcome reportRelay(RelayClaim claim) {
        if (!relayAddresses.contains(claim.relayed().getAddress())) return Outcome.NOT_THE_RELAY;
        SelectedPath current = null;
        for (SelectedPath p : source.get()) {
            if (p.sessionId().equals(claim.session())) {
                current = p;
                break;
            }
        }
        if (current != null && (current.tcp() || !current.remote().equals(claim.relayed()))) return Outcome.OTHER_ADDRESS;
        RelayReport report = new RelayReport(claim.relayed(), Path.relayedOver(claim.transport()), System.nanoTime());
        if (current == null) {
            if (pending.size() >= MAX_PENDING) forgetWaiting(report.at());
            if (pending.size() >= MAX_PENDING) return Outcome.FULL;
            pending.put(claim.session(), report);
            return Outcome.PENDING;
        }
        // Under the count's lock: a count that took its list of sessions before this one appeared would otherwise drop
        // the report as a gone session's.
        synchronized (this) {
            reports.put(claim.session(), report);
            pending.remove(claim.session());
            cachedAt = Long.MIN_VALUE; // the next scrape counts with it
        }
        return Outcome.APPLIED;
    }

    private void forgetWaiting(long now) {
        pending.values().removeIf(r -> now - r.at() > REPORT_GRACE_NANOS);
    }

    /** Sessions per path now (every path present, zero or more). */
    public synchronized Map<Path, Integer> counts() {
        long now = System.nanoTime();
        if (cachedAt != Long.MIN_VALUE && now - cachedAt < CACHE_NANOS) return cached;
        Map<Path, Integer> out = new EnumMap<>(Path.class);
        for (Path path : Path.values()) out.put(path, 0);
        List<SelectedPath> paths = source.get();
        Set<String> inUse = new HashSet<>();
        for (SelectedPath p : paths) {
            inUse.add(p.sessionId());
            RelayReport waiting = pending.remove(p.sessionId());
            if (waiting != null) reports.put(p.sessionId(), waiting);
            out.merge(classify(p), 1, Integer::sum);
        }
        reports.keySet().retainAll(inUse); // a session that ended takes its report with it
        forgetWaiting(now);
        cached = out;
        cachedAt = now;
        return out;
    }

    public void bind(MeterRegistry registry) {
        for (Path path : Path.values()) {
            Gauge.builder("cascade_media_sessions_by_path", this, s -> s.counts().get(path))
                    .description("WHIP and WHEP sessions by the path ICE selected: udp (direct), tcp (ICE-TCP), turn-udp/turn-tcp/turn-tls (relayed; the transport to the relay as the web player or studio reports it), turn (relayed, transport not reported)")
                    .tag("path", path.label())
                    .strongReference(true)
                    .register(registry);
        }
    }
}
