package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * What one viewer track was sent, and what the viewer reported back about it.
 *
 * @param fractionLost     from the viewer's last receiver report (out of 256)
 * @param roundTripNanos   from LSR/DLSR of the viewer's last report, -1 when unknown
 * @param nackedPackets    sequence numbers the viewer asked to have retransmitted
 */
public record ViewerTrackStats(MediaKind kind, String mid, long ssrc, long packetsSent, long bytesSent,
                               boolean waitingForKeyframe, int fractionLost, long cumulativeLost, long jitter,
                               long roundTripNanos, long plisReceived, long firsReceived, long nackedPackets) {}
