package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * A publisher track's counters at one moment. Packet and byte counts cover the router's life; loss and jitter cover
 * the current publisher's stream.
 *
 * @param ssrc             media SSRC, 0 while not known
 * @param lastSeenNanos    monotonic time of the last packet, or -1 if none
 * @param keyframes        keyframes (groups of pictures) received
 * @param packetsLost      lost and not recovered (RFC 3550 cumulative lost of the current stream)
 * @param jitter           interarrival jitter in clock-rate units
 * @param rtxPackets       RTX packets received (retransmissions and probe padding)
 * @param nacksRequested   sequence numbers we asked the publisher to retransmit (each retry counts)
 * @param packetsRecovered packets that arrived after we had found them missing
 * @param duplicatePackets packets received twice (dropped)
 */
public record TrackStats(MediaKind kind, String mid, long ssrc, long packets, long bytes, long lastSeenNanos,
                         long keyframes, long packetsLost, long jitter, long rtxPackets, long keyframeRequestsSent,
                         long nacksRequested, long packetsRecovered, long duplicatePackets) {}
