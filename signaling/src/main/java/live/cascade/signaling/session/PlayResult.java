package live.cascade.signaling.session;

/** The outcome of a WHEP offer. */
public sealed interface PlayResult permits SessionCreated, Refusal {
}
