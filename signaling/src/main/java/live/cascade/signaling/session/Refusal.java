package live.cascade.signaling.session;

/** Why a WHIP/WHEP request could not be served; the HTTP layer maps each to its status. */
public record Refusal(Reason reason, String detail) implements PublishResult, PlayResult, PatchResult {
    public enum Reason {
        /** The SDP or sdpfrag does not parse (400). */
        MALFORMED,
        /** The offer parses but cannot be served as a whole (422). */
        UNPROCESSABLE,
        /** WHEP on a channel with no broadcast (409 + Retry-After). */
        OFFLINE,
        /** Past the session limit (503 + Retry-After). */
        OVERLOADED,
        /** No such session (404). */
        NOT_FOUND,
        /** PATCH without If-Match (428). */
        PRECONDITION_REQUIRED,
        /** PATCH with a stale If-Match (412). */
        PRECONDITION_FAILED
    }
}
