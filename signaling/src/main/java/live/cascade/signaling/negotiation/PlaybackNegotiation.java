package live.cascade.signaling.negotiation;

/** The outcome of a WHEP offer: an answer with the viewer's parameters, or why the offer cannot be served. */
public sealed interface PlaybackNegotiation permits PlaybackAnswer, NegotiationFailure {
}
