package live.cascade.signaling.session;

/** The outcome of a WHIP offer. */
public sealed interface PublishResult permits SessionCreated, Refusal {
}
