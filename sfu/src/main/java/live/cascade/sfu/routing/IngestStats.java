package live.cascade.sfu.routing;

import java.util.List;

/**
 * A channel's ingest at one moment, from {@link Router#ingestStats()}.
 *
 * @param congestionFeedback   what we send the publisher so its encoder can ramp: {@code transport-cc},
 *                             {@code remb}, or {@code none} (neither negotiated, or no publisher)
 * @param rembBitrate          the last REMB estimate sent, bit/s, -1 when none
 * @param transportCcFeedbacks transport-cc feedback packets sent to the current publisher
 */
public record IngestStats(String channelId, boolean publisherAttached, String congestionFeedback, long rembBitrate,
                          long transportCcFeedbacks, List<IngestTrackStats> tracks) {
    public IngestStats { tracks = List.copyOf(tracks); }

    /** The first track of {@code kind}, or null. */
    public IngestTrackStats track(live.cascade.sfu.params.MediaKind kind) {
        for (IngestTrackStats t : tracks) if (t.kind() == kind) return t;
        return null;
    }
}
