package live.cascade.sfu.routing;

import java.util.List;
import java.util.Map;
import live.cascade.sfu.receive.RouterDrop;

/** A snapshot of a router: its tracks, viewers, sinks and non-zero drop counters. */
public record RouterStats(String channelId, boolean publisherAttached, List<TrackStats> tracks,
                          List<ViewerStats> viewers, int sinks, Map<RouterDrop, Long> drops) {
    public RouterStats {
        tracks = List.copyOf(tracks);
        viewers = List.copyOf(viewers);
        drops = Map.copyOf(drops);
    }

    public long drops(RouterDrop reason) { return drops.getOrDefault(reason, 0L); }
}
