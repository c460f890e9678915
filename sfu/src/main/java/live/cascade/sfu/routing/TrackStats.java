package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * A publisher track's counters at one moment. Packet and byte counts cover the router's life; loss and jitter cover
 * the current publisher's stream.
 *
 * @param ssrc          media SSRC, 0 while not known
 * @param lastSeenNanos monotonic time of the last packet, or -1 if none
 * @param jitter        interarrival jitter in clock-rate units
 */
public record TrackStats(MediaKind kind, String mid, long ssrc, long packets, long bytes, long lastSeenNanos,
                         long keyframes, long packetsLost, long jitter, long rtxPackets, long keyframeRequestsSent) {}
