package live.cascade.signaling.negotiation;

/** A WHIP offer negotiated: a plan to carry out, or why the offer cannot be served. */
public sealed interface PublishPlanning permits PublishPlan, NegotiationFailure {
}
