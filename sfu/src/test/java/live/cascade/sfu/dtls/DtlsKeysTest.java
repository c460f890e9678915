package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.SrtpProfile;
import org.junit.jupiter.api.Test;

class DtlsKeysTest {
    /** Material whose every byte says which slice it belongs to: 1 client key, 2 server key, 3/4 the salts. */
    private static byte[] labelled(SrtpProfile p) {
        int k = p.keyLength();
        int s = p.saltLength();
        byte[] m = new byte[2 * (k + s)];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i < k ? 1 : i < 2 * k ? 2 : i < 2 * k + s ? 3 : 4);
        }
        return m;
    }

    @Test
    void clientSendsWithTheClientHalvesOfTheRfc5764Layout() {
        DtlsKeys keys = DtlsKeys.fromKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                labelled(SrtpProfile.AES_CM_128_HMAC_SHA1_80), DtlsRole.CLIENT);

        assertThat(keys.localKey()).hasSize(16).containsOnly(1);
        assertThat(keys.remoteKey()).hasSize(16).containsOnly(2);
        assertThat(keys.localSalt()).hasSize(14).containsOnly(3);
        assertThat(keys.remoteSalt()).hasSize(14).containsOnly(4);
    }

    @Test
    void serverSendsWithTheServerHalves() {
        DtlsKeys keys = DtlsKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                labelled(SrtpProfile.AEAD_AES_128_GCM), DtlsRole.SERVER);

        assertThat(keys.localKey()).hasSize(16).containsOnly(2);
        assertThat(keys.remoteKey()).hasSize(16).containsOnly(1);
        assertThat(keys.localSalt()).hasSize(12).containsOnly(4);
        assertThat(keys.remoteSalt()).hasSize(12).containsOnly(3);
        assertThat(keys.toString()).doesNotContain("[B@");
    }

    @Test
    void materialOfTheWrongLengthIsRejected() {
        assertThat(DtlsKeys.materialLength(SrtpProfile.AEAD_AES_128_GCM)).isEqualTo(56);
        assertThat(DtlsKeys.materialLength(SrtpProfile.AES_CM_128_HMAC_SHA1_80)).isEqualTo(60);
        assertThatThrownBy(() -> DtlsKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, new byte[60], DtlsRole.CLIENT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
