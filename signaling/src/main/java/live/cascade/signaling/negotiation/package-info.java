/**
 * Offer/answer for WHIP ({@link live.cascade.signaling.negotiation.PublishNegotiator}) and WHEP
 * ({@link live.cascade.signaling.negotiation.PlaybackNegotiator}): an answer plus the media plane's parameter
 * records, or a {@link live.cascade.signaling.negotiation.NegotiationFailure} for a 422.
 */
package live.cascade.signaling.negotiation;
