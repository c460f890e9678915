package live.cascade.sfu.routing;

import java.util.List;

/**
 * One viewer's counters at one moment; {@code rembBitrate} is -1 until the viewer sent a REMB.
 *
 * @param transportCcFeedbacks    transport-cc feedback packets the viewer sent about what we sent it
 * @param transportCcPacketsLost  packets those feedbacks reported as not received (a feedback may repeat one)
 * @param bwe                     the bandwidth estimate and pacer toward this viewer, null when estimation is off
 */
public record ViewerStats(List<ViewerTrackStats> tracks, long rembBitrate, long transportCcFeedbacks,
                          long transportCcPacketsLost, boolean closed, ViewerBweStats bwe) {
    public ViewerStats { tracks = List.copyOf(tracks); }

    /** The estimate in bit/s (see {@link ViewerHandle#bitsPerSecond()}), -1 when unknown. */
    public long bitsPerSecond() { return bwe != null ? bwe.bitsPerSecond() : rembBitrate; }
}
