package live.cascade.sfu.dtls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import live.cascade.sfu.params.SrtpProfile;

/**
 * Engine-wide DTLS settings.
 *
 * @param certificate      our certificate
 * @param srtpProfiles     profiles we offer or accept, most preferred first
 * @param handshakeTimeout how long one handshake may take before the transport fails (waiting for a slot included)
 * @param handshakes       the node's bound on handshakes computing at once, shared by every session made with these
 *                         settings ({@link HandshakeSlots#UNBOUNDED} for none)
 */
public record DtlsSettings(DtlsCertificate certificate, List<SrtpProfile> srtpProfiles, Duration handshakeTimeout,
                           HandshakeSlots handshakes) {
    public DtlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(handshakes, "handshakes");
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) throw new IllegalArgumentException("no SRTP profile");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    /** Without a bound on concurrent handshakes (clients of our own, tests). */
    public DtlsSettings(DtlsCertificate certificate, List<SrtpProfile> srtpProfiles, Duration handshakeTimeout) {
        this(certificate, srtpProfiles, handshakeTimeout, HandshakeSlots.UNBOUNDED);
    }

    int[] profileIds() {
        return srtpProfiles.stream().mapToInt(SrtpProfile::id).toArray();
    }

    int handshakeTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
    }
}
