package live.cascade.sfu.dtls;

import java.util.Arrays;
import java.util.Objects;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.SrtpProfile;

/**
 * SRTP master keys and salts from a finished DTLS-SRTP handshake, already split into our sending (local) and the
 * peer's sending (remote) halves.
 */
public record DtlsKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
    public DtlsKeys {
        Objects.requireNonNull(profile, "profile");
    }

    /** Bytes of keying material to export for {@code profile}: both keys and both salts. */
    public static int materialLength(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }

    /**
     * Splits exported keying material laid out as RFC 5764 4.2 defines it,
     * {@code client_write_key | server_write_key | client_write_salt | server_write_salt}; the DTLS client sends with
     * the client halves.
     */
    public static DtlsKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, DtlsRole localRole) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying material is " + material.length + " bytes, want " + 2 * (k + s));
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return localRole == DtlsRole.CLIENT
                ? new DtlsKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new DtlsKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** Keys never go to logs. */
    @Override
    public String toString() { return "DtlsKeys[" + profile + "]"; }
}
