package live.cascade.signaling.session;

import live.cascade.sfu.params.IceParameters;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.trickle.IceRestartDetector;
import live.cascade.signaling.trickle.TrickleFragment;
import live.cascade.signaling.trickle.TricklePatch;

/**
 * A WHIP/WHEP PATCH (request thread): trickled candidates (204; we are ICE-lite, so they only need to be
 * well-formed) or an ICE restart (new credentials: 200 with our new ones, and a new entity tag), guarded by If-Match.
 */
final class PatchFlow {
    private final SessionRegistry sessions;
    private final Refusals refusals;

    PatchFlow(SessionRegistry sessions, Refusals refusals) {
        this.sessions = sessions;
        this.refusals = refusals;
    }

    PatchResult patch(String sessionId, String ifMatch, String fragmentText) {
        MediaSession s = sessions.get(sessionId);
        if (s == null) return refusals.refuse(Refusal.Reason.NOT_FOUND, "No session " + sessionId + "; it ended or never existed.");
        if (ifMatch == null || ifMatch.isBlank()) {
            return refusals.refuse(Refusal.Reason.PRECONDITION_REQUIRED, "Send If-Match with the session's ETag (or \"*\" for an ICE restart).");
        }
        String match = ifMatch.strip();
        TricklePatch patch;
        try {
            patch = IceRestartDetector.classify(TrickleFragment.parse(fragmentText), s.transport.remoteIce());
        } catch (SdpParseException e) {
            return refusals.refuse(Refusal.Reason.MALFORMED, "The sdpfrag does not parse: " + e.getMessage());
        }
        boolean current = match.equals(s.etag) || match.equals("*");
        return switch (patch) {
            case TricklePatch.Candidates c -> current ? new PatchResult.Trickled()
                    : refusals.refuse(Refusal.Reason.PRECONDITION_FAILED, "If-Match " + match + " is not the session's current ETag " + s.etag + ".");
            case TricklePatch.IceRestart r -> {
                if (!current) {
                    yield refusals.refuse(Refusal.Reason.PRECONDITION_FAILED, "If-Match " + match + " is not the session's current ETag; an ICE restart uses If-Match: \"*\".");
                }
                IceParameters fresh;
                try {
                    fresh = s.transport.restartIce(r.newRemoteIce());
                } catch (IllegalStateException e) {
                    yield refusals.refuse(Refusal.Reason.NOT_FOUND, "Session " + sessionId + " has ended.");
                }
                s.etag = SessionRegistry.newEtag();
                String fragment = TrickleFragment.restartResponse(fresh, s.transport.localCandidates(), s.firstMedia, s.firstMid).write();
                yield new PatchResult.Restarted(fragment, s.etag);
            }
        };
    }
}
