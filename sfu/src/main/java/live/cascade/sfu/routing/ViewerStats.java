package live.cascade.sfu.routing;

import java.util.List;

/** One viewer's counters at one moment; {@code rembBitrate} is -1 until the viewer sent a REMB. */
public record ViewerStats(List<ViewerTrackStats> tracks, long rembBitrate, long transportCcFeedbacks, boolean closed) {
    public ViewerStats { tracks = List.copyOf(tracks); }
}
