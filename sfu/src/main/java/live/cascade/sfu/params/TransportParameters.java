package live.cascade.sfu.params;

import java.util.Objects;

/**
 * What the media plane needs to bring up one peer's transport: the remote ICE credentials, the remote certificate
 * fingerprint, and our DTLS role. The local ICE credentials are chosen by the media plane.
 */
public record TransportParameters(IceParameters remoteIce, DtlsFingerprint remoteFingerprint, DtlsRole localRole) {
    public TransportParameters {
        Objects.requireNonNull(remoteIce, "remoteIce");
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        Objects.requireNonNull(localRole, "localRole");
    }
}
