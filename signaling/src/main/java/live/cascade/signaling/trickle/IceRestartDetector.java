package live.cascade.signaling.trickle;

import java.util.Objects;

import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.sfu.params.IceParameters;

/**
 * Tells a trickle PATCH from an ICE restart (RFC 8840 §4.4, RFC 9725 §4.4): a restart is a fragment whose
 * {@code a=ice-ufrag} differs from the remote ufrag in use. A fragment without credentials, or with the current ones,
 * trickles.
 */
public final class IceRestartDetector {
    private IceRestartDetector() {}

    /**
     * @throws SdpParseException when the credentials are half a restart: a new ufrag without an {@code a=ice-pwd}, or
     *                           a changed pwd under the old ufrag (a 400, like any malformed fragment)
     */
    public static TricklePatch classify(TrickleFragment fragment, IceParameters currentRemote) throws SdpParseException {
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(currentRemote, "currentRemote");
        if (fragment.iceUfrag().isEmpty()) {
            if (fragment.icePwd().isPresent() && !fragment.icePwd().get().equals(currentRemote.password())) {
                throw new SdpParseException("a=ice-pwd changed without an a=ice-ufrag; an ICE restart needs both");
            }
            return new TricklePatch.Candidates(fragment);
        }
        String ufrag = fragment.iceUfrag().get();
        if (ufrag.equals(currentRemote.ufrag())) {
            if (fragment.icePwd().isPresent() && !fragment.icePwd().get().equals(currentRemote.password())) {
                throw new SdpParseException("a=ice-pwd changed but a=ice-ufrag did not; an ICE restart changes both");
            }
            return new TricklePatch.Candidates(fragment);
        }
        if (fragment.icePwd().isEmpty()) {
            throw new SdpParseException("new a=ice-ufrag '" + ufrag + "' without an a=ice-pwd; an ICE restart needs both");
        }
        return new TricklePatch.IceRestart(new IceParameters(ufrag, fragment.icePwd().get()), fragment);
    }
}
