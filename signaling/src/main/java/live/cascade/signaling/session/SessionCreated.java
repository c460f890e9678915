package live.cascade.signaling.session;

/** A new session: its id (for the Location), its entity tag, and the SDP answer. */
public record SessionCreated(String sessionId, String etag, String answerSdp) implements PublishResult, PlayResult {
}
