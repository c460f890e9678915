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
 * @param handshakeTimeout how long one handshake may take before the transport fails
 */
public record DtlsSettings(DtlsCertificate certificate, List<SrtpProfile> srtpProfiles, Duration handshakeTimeout) {
    public DtlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) throw new IllegalArgumentException("no SRTP profile");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    int[] profileIds() {
        return srtpProfiles.stream().mapToInt(SrtpProfile::id).toArray();
    }

    int handshakeTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
    }
}
