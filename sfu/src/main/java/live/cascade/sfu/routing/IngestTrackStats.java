package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * How one publisher track arrives, for an ingest-health view. Rates cover the last second or so (the window closes on
 * the router's tick); -1 means not measured yet.
 *
 * @param codec                 encoding name as negotiated, e.g. {@code H264}, {@code VP8}, {@code opus}
 * @param ssrc                  media SSRC, 0 while not known
 * @param bitrate               incoming bits per second, media plus retransmissions and padding
 * @param frameRate             frames per second (video; -1 for audio or before the first window)
 * @param keyframeIntervalMillis time between the last two keyframes, -1 until two were seen
 * @param keyframes             keyframes received over the router's life
 * @param packetLoss            fraction of packets the publisher's path lost in the last window, before our NACKs
 *                              repaired any (0..1)
 * @param packetsLost           packets still missing after repair, cumulative over the current stream
 * @param packetsRecovered      packets recovered after being found missing (retransmitted or late)
 * @param nacksRequested        sequence numbers requested from the publisher
 * @param jitterMillis          RFC 3550 interarrival jitter
 * @param width                 coded picture width from the last keyframe, 0 when unknown (audio, or a codec whose
 *                              headers we do not read)
 * @param height                coded picture height, 0 when unknown
 * @param lastPacketAgeMillis   time since the last packet, -1 when none arrived
 * @param rid                   the simulcast layer's rid, {@code ""} when the track is not a layer (layers share
 *                              their mid; {@link IngestStats#tracks()} lists them best first)
 * @param mediaBitrate          media bits per second without RTX overhead and padding (what a viewer is sent), -1
 *                              before the first window
 */
public record IngestTrackStats(MediaKind kind, String mid, String codec, int clockRate, long ssrc, long bitrate,
                               double frameRate, long keyframeIntervalMillis, long keyframes, double packetLoss,
                               long packetsLost, long packetsRecovered, long nacksRequested, double jitterMillis,
                               int width, int height, long lastPacketAgeMillis, long keyframeRequestsSent,
                               String rid, long mediaBitrate) {
    public boolean isLayer() { return !rid.isEmpty(); }
}
