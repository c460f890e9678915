package live.cascade.sfu.routing;

import java.util.List;

/**
 * One viewer's counters at one moment; {@code rembBitrate} is -1 until the viewer sent a REMB.
 *
 * @param transportCcFeedbacks    transport-cc feedback packets the viewer sent about what we sent it
 * @param transportCcPacketsLost  packets those feedbacks reported as not received (a feedback may repeat one)
 */
public record ViewerStats(List<ViewerTrackStats> tracks, long rembBitrate, long transportCcFeedbacks,
                          long transportCcPacketsLost, boolean closed) {
    public ViewerStats { tracks = List.copyOf(tracks); }
}
