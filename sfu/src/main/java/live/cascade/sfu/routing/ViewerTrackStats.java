package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * What one viewer track was sent, and what the viewer reported back about it.
 *
 * @param waitingForKeyframe   video withheld until the next keyframe
 * @param catchingUp           being sent the cached group of pictures, faster than real time
 * @param fractionLost         from the viewer's last receiver report (out of 256)
 * @param roundTripNanos       from LSR/DLSR of the viewer's last report, -1 when unknown
 * @param nackedPackets        sequence numbers the viewer asked to have retransmitted
 * @param packetsRetransmitted retransmissions sent in answer (RTX or plain)
 * @param rtxPacketsSent       of those, sent as RTX
 * @param layer                the simulcast layer (rid) being sent, {@code ""} when the track is not simulcast
 * @param targetLayer          the layer waited for (its keyframe), {@code ""} when none
 * @param layerPinned          the layer was pinned (WHEP layer extension), not chosen from the estimate
 * @param layerSwitches        moves between layers so far
 */
public record ViewerTrackStats(MediaKind kind, String mid, long ssrc, long packetsSent, long bytesSent,
                               boolean waitingForKeyframe, boolean catchingUp, int fractionLost, long cumulativeLost,
                               long jitter, long roundTripNanos, long plisReceived, long firsReceived,
                               long nackedPackets, long packetsRetransmitted, long rtxPacketsSent, String layer,
                               String targetLayer, boolean layerPinned, long layerSwitches) {}
