package live.cascade.signaling.session;

/** Why a WHIP/WHEP request could not be served; the HTTP layer maps each to its status. */
public record Refusal(Reason reason, String detail) implements PublishResult, PlayResult, PatchResult, LocalPublishResult, RelayPublishResult {
    public enum Reason {
        /** The SDP or sdpfrag does not parse (400). */
        MALFORMED,
        /** The offer parses but cannot be served as a whole (422). */
        UNPROCESSABLE,
        /** WHEP on a channel with no broadcast (409 + Retry-After). */
        OFFLINE,
        /** WHIP past the publishers' share of the node's sessions (503 + Retry-After). */
        PUBLISHER_SHARE_FULL,
        /** WHEP past the viewers' share of the node's sessions (503 + Retry-After). */
        VIEWER_SHARE_FULL,
        /** WHEP from an address with too many sessions still setting up (429 + Retry-After). */
        PENDING_VIEWERS_PER_ADDRESS,
        /** WHEP on a channel with too many sessions still setting up (429 + Retry-After). */
        PENDING_VIEWERS_PER_CHANNEL,
        /** No such session (404). */
        NOT_FOUND,
        /** PATCH without If-Match (428). */
        PRECONDITION_REQUIRED,
        /** PATCH with a stale If-Match (412). */
        PRECONDITION_FAILED
    }
}
