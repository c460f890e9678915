package live.cascade.signaling.session;

/** The outcome of a PATCH on a session: trickled candidates (204), an ICE restart (200), or a refusal. */
public sealed interface PatchResult permits PatchResult.Trickled, PatchResult.Restarted, Refusal {
    record Trickled() implements PatchResult {
    }

    /** The new ICE parameters as an sdpfrag, and the session's new entity tag. */
    record Restarted(String fragment, String etag) implements PatchResult {
    }
}
