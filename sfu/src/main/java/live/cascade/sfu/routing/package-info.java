/**
 * One live channel's forwarding: the {@link live.cascade.sfu.routing.Router} takes a publisher's decrypted RTP/RTCP,
 * fans packets out to viewers (each rewritten to what that viewer negotiated) and to in-process
 * {@link live.cascade.sfu.routing.PacketSink}s, turns viewer feedback into keyframe requests, and sends the RTCP
 * reports on both sides.
 *
 * <p>A router and all its transports live on one media worker thread: every method is called on it, so nothing here
 * locks. Time comes from a {@link live.cascade.sfu.routing.MediaClock} and {@code onTick(nowNanos)}.
 */
package live.cascade.sfu.routing;
