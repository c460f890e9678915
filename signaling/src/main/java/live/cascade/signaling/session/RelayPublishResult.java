package live.cascade.signaling.session;

/** The outcome of pulling a channel from another node: the relay's publisher session here, or why not. */
public sealed interface RelayPublishResult permits RelaySession, Refusal {
}
