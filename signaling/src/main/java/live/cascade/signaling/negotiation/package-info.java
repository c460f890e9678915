/**
 * Offer/answer for WHIP ({@link live.cascade.signaling.negotiation.PublishNegotiator}) and WHEP
 * ({@link live.cascade.signaling.negotiation.PlaybackNegotiator}). An offer is negotiated once into a plan
 * ({@link live.cascade.signaling.negotiation.PublishPlan}, {@link live.cascade.signaling.negotiation.PlaybackPlan}:
 * the media plane's parameter records, with every choice made) or a
 * {@link live.cascade.signaling.negotiation.NegotiationFailure} for a 422; the plan writes the answer once the
 * transport that carries the session exists and its credentials and candidates are known.
 */
package live.cascade.signaling.negotiation;
