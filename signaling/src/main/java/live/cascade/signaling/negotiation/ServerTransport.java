package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;

import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.IceParameters;

/**
 * What the media plane tells signaling about our side of one transport: the ICE credentials it will accept, the
 * fingerprint of its DTLS certificate, and every address it listens on. The answer carries all of it, so clients
 * never wait for trickle from us.
 */
public record ServerTransport(IceParameters localIce, DtlsFingerprint localFingerprint, List<Candidate> candidates) {
    public ServerTransport {
        Objects.requireNonNull(localIce, "localIce");
        Objects.requireNonNull(localFingerprint, "localFingerprint");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) throw new IllegalArgumentException("an ICE-lite answer needs at least one candidate");
    }
}
