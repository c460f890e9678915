package live.cascade.sfu.routing;

import java.util.List;

/**
 * A channel's ingest at one moment, from {@link Router#ingestStats()}.
 *
 * @param congestionFeedback   what we send the publisher so its encoder can ramp: {@code transport-cc},
 *                             {@code remb}, or {@code none} (neither negotiated, or no publisher)
 * @param rembBitrate          the last REMB estimate sent, bit/s, -1 when none
 * @param transportCcFeedbacks transport-cc feedback packets sent to the current publisher
 * @param feedback             what that feedback told the publisher and how the node's arrival stamps looked
 */
public record IngestStats(String channelId, boolean publisherAttached, String congestionFeedback, long rembBitrate,
                          long transportCcFeedbacks, List<IngestTrackStats> tracks, Feedback feedback) {
    public IngestStats { tracks = List.copyOf(tracks); }

    /**
     * The transport-cc side of the publisher's congestion control, as the node sent it.
     *
     * @param packetsReported      transport-wide packets the feedback reported on, received or not (cumulative)
     * @param packetsReportedLost  transport-wide packets reported not received (cumulative)
     * @param latePackets          packets that arrived after a feedback had reported them lost (cumulative)
     * @param maxIntervalMillis    the longest time between two transport-cc feedbacks in the last ~1 s window
     * @param stampedDelayMillis   the largest delay of an arrival stamp over the fastest packet's in the last ~1 s
     *                             window (from abs-send-time; -1 when the publisher does not send it): queueing the
     *                             sender's delay-based estimator will see; on a quiet path it is the node's own
     * @param receiveWaitMillis    the longest a packet waited in this host (from the kernel's receive timestamp to
     *                             the router) in the last ~1 s window; 0 when the kernel's stamps are not available.
     *                             The feedback reports arrivals without this wait.
     * @param acknowledgedBitrate  bit/s of the packets the feedback reported received over the last ~1 s window (all
     *                             of the transport's packets that reached the node): the rate the publisher's
     *                             estimate is anchored to; -1 before the first window closes
     */
    public record Feedback(long packetsReported, long packetsReportedLost, long latePackets, double maxIntervalMillis, double stampedDelayMillis,
                           double receiveWaitMillis, long acknowledgedBitrate) {
        public static final Feedback NONE = new Feedback(0, 0, 0, 0, -1, 0, -1);
    }

    /** The first track of {@code kind}, or null. */
    public IngestTrackStats track(live.cascade.sfu.params.MediaKind kind) {
        for (IngestTrackStats t : tracks) if (t.kind() == kind) return t;
        return null;
    }
}
