/**
 * The life of WHIP and WHEP sessions: one broadcast per live channel (its router hosted on one media lane), the
 * publisher that feeds it, the viewers it feeds, the grace period after a publisher vanishes, and the events the
 * rest of the node records. Driven by SDP text in, SDP text out; knows nothing of HTTP or SQL, and of the media plane
 * only its facade ({@code sfu.engine}'s {@code MediaEngine}, {@code MediaLane}, {@code HostedRouter}, and
 * {@code sfu.transport}'s {@code TransportControl}).
 *
 * <p>One owner per concern: {@link live.cascade.signaling.session.BroadcastService} is the front door and delegates to
 * {@code PublishFlow} and {@code PlayFlow} (offer to answer: parse, one negotiation into a plan, admission, the
 * transport, the answer), {@code PatchFlow} (trickle and ICE restart), {@code SessionRegistry} (sessions by id),
 * {@code BroadcastLifecycle} (every broadcast from its first publisher to its end, and who closes what) and each
 * session's {@code SessionEvents} (its transport's events and its admission slot).
 */
package live.cascade.signaling.session;
