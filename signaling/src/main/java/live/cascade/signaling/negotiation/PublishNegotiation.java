package live.cascade.signaling.negotiation;

/** The outcome of a WHIP offer: an answer with the publisher's parameters, or why the offer cannot be served. */
public sealed interface PublishNegotiation permits PublishAnswer, NegotiationFailure {
}
