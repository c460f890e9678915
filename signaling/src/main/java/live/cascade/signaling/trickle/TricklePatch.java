package live.cascade.signaling.trickle;

import java.util.Objects;

import live.cascade.sfu.params.IceParameters;

/** What a PATCH fragment asks for: more candidates for the current ICE session, or an ICE restart. */
public sealed interface TricklePatch permits TricklePatch.Candidates, TricklePatch.IceRestart {
    TrickleFragment fragment();

    /** Trickled candidates (and possibly end-of-candidates) for the ICE session in progress; answer 204. */
    record Candidates(TrickleFragment fragment) implements TricklePatch {
        public Candidates {
            Objects.requireNonNull(fragment, "fragment");
        }
    }

    /**
     * The client restarts ICE with new credentials; answer 200 with {@link TrickleFragment#restartResponse} and a new
     * ETag. The fragment's candidates replace the old remote candidates.
     */
    record IceRestart(IceParameters newRemoteIce, TrickleFragment fragment) implements TricklePatch {
        public IceRestart {
            Objects.requireNonNull(newRemoteIce, "newRemoteIce");
            Objects.requireNonNull(fragment, "fragment");
        }
    }
}
