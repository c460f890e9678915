package live.cascade.api.media.relay;

/** The outcome of {@link OriginRelays#acquire}: a handle on the running relay, or why it could not be opened. */
public sealed interface RelayResult permits RelayHandle, RelayFailure {
}
