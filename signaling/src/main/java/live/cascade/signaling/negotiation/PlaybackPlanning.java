package live.cascade.signaling.negotiation;

/** A WHEP offer negotiated: a plan to carry out, or why the offer cannot be served. */
public sealed interface PlaybackPlanning permits PlaybackPlan, NegotiationFailure {
}
