package live.cascade.signaling.session;

/** What the HTTP layer may know of a session: whose it is, and which kind. */
public record SessionInfo(String id, SessionKind kind, ChannelRef channel, String etag) {
}
