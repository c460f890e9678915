package live.cascade.api.health;

import live.cascade.sfu.routing.RouterStats;
import live.cascade.sfu.routing.ViewerStats;
import live.cascade.sfu.routing.ViewerTrackStats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One live channel's egress totals, monotonic although viewers come and go: the router counts per viewer track, and a
 * viewer that leaves takes its counts with it, so each track's last-seen counts (by its outgoing SSRC, unique per
 * viewer track) are kept and moved to the retired sum when it disappears. What a leaving viewer was sent after the
 * last snapshot (at most {@link #TTL_NANOS}) is not counted. One snapshot (one hop to the channel's media lane) serves
 * every series of a scrape.
 */
final class ChannelEgress {
    static final long TTL_NANOS = 1_000_000_000L;

    record Totals(double bytes, double nacks, double retransmissions, double keyframeRequests, int viewers) {
    }

    private record Counts(long bytes, long nacks, long retransmissions, long keyframeRequests) {
        static Counts of(ViewerTrackStats t) {
            return new Counts(t.bytesSent(), t.nackedPackets(), t.packetsRetransmitted(), t.plisReceived() + t.firsReceived());
        }
    }

    private final Supplier<Optional<RouterStats>> source;
    private Map<Long, Counts> live = new HashMap<>();
    private long retiredBytes, retiredNacks, retiredRetransmissions, retiredKeyframeRequests;
    private Totals totals = new Totals(0, 0, 0, 0, 0);
    private long takenAt = Long.MIN_VALUE;

    ChannelEgress(Supplier<Optional<RouterStats>> source) {
        this.source = source;
    }

    synchronized Totals totals() {
        long now = System.nanoTime();
        if (takenAt != Long.MIN_VALUE && now - takenAt < TTL_NANOS) return totals;
        takenAt = now;
        Optional<RouterStats> stats = source.get();
        if (stats.isEmpty()) return totals; // ended: the last totals stand until the series is removed
        Map<Long, Counts> seen = new HashMap<>();
        int viewers = 0;
        for (ViewerStats v : stats.get().viewers()) {
            if (!v.closed()) viewers++;
            for (ViewerTrackStats t : v.tracks()) seen.put(t.ssrc(), Counts.of(t));
        }
        for (Map.Entry<Long, Counts> gone : live.entrySet()) {
            if (seen.containsKey(gone.getKey())) continue;
            Counts c = gone.getValue();
            retiredBytes += c.bytes();
            retiredNacks += c.nacks();
            retiredRetransmissions += c.retransmissions();
            retiredKeyframeRequests += c.keyframeRequests();
        }
        live = seen;
        long bytes = retiredBytes, nacks = retiredNacks, retransmissions = retiredRetransmissions, keyframes = retiredKeyframeRequests;
        for (Counts c : seen.values()) {
            bytes += c.bytes();
            nacks += c.nacks();
            retransmissions += c.retransmissions();
            keyframes += c.keyframeRequests();
        }
        totals = new Totals(bytes, nacks, retransmissions, keyframes, viewers);
        return totals;
    }
}
