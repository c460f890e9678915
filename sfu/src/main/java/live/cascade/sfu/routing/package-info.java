/**
 * One live channel's forwarding: the {@link live.cascade.sfu.routing.Router} takes a publisher's decrypted RTP/RTCP,
 * fans packets out to viewers (each rewritten to what that viewer negotiated) and to in-process
 * {@link live.cascade.sfu.routing.PacketSink}s, turns viewer feedback into keyframe requests, and sends the RTCP
 * reports on both sides.
 *
 * <p>The router wires and owns; the parts do the work, each with its own state: {@code ReceivePath} calls the stages
 * of {@link live.cascade.sfu.receive} in order and ends in {@code FanOut}; {@code PublisherFeedback} (transport-cc,
 * REMB, NACKs, receiver reports), {@code KeyframeRequests} (the PLI/FIR throttle) and {@code PublisherClock} (clock
 * mapping) talk to the publisher through one {@code PublisherLink}; {@code ViewerConsumer} and {@code TrackConsumer}
 * reach the router only through their {@code ViewerHost}. Nothing below the router holds it
 * ({@code PacketPathArchitectureTest}).
 *
 * <p>A router and all its transports live on one media worker thread: every method is called on it, so nothing here
 * locks. Time comes from a {@link live.cascade.sfu.routing.MediaClock} and {@code onTick(nowNanos)}.
 */
package live.cascade.sfu.routing;
