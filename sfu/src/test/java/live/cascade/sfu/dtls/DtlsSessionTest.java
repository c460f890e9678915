package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two of our sessions talking to each other through in-memory datagram pipes. */
class DtlsSessionTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final List<SrtpProfile> BOTH =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    private DtlsSession server;
    private DtlsSession client;
    private final Recorder serverEvents = new Recorder();
    private final Recorder clientEvents = new Recorder();

    @AfterEach
    void closeBoth() {
        if (server != null) server.close();
        if (client != null) client.close();
    }

    private void start(List<SrtpProfile> serverProfiles, List<SrtpProfile> clientProfiles,
                       DtlsFingerprint serverExpects, DtlsFingerprint clientExpects) {
        DtlsSession[] s = new DtlsSession[2];
        server = new DtlsSession(DtlsRole.SERVER, settings(SERVER_CERT, serverProfiles), serverExpects,
                d -> s[1].offer(d), serverEvents, "server");
        client = new DtlsSession(DtlsRole.CLIENT, settings(CLIENT_CERT, clientProfiles), clientExpects,
                d -> s[0].offer(d), clientEvents, "client");
        s[0] = server;
        s[1] = client;
        server.start();
        client.start();
    }

    private static DtlsSettings settings(DtlsCertificate cert, List<SrtpProfile> profiles) {
        return new DtlsSettings(cert, profiles, Duration.ofSeconds(5));
    }

    @Test
    void handshakeExportsMirroredKeysAndPrefersGcm() throws Exception {
        start(BOTH, BOTH, CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint());

        DtlsKeys s = serverEvents.established();
        DtlsKeys c = clientEvents.established();

        assertThat(s.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(c.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(s.localKey()).isEqualTo(c.remoteKey());
        assertThat(s.localSalt()).isEqualTo(c.remoteSalt());
        assertThat(c.localKey()).isEqualTo(s.remoteKey());
        assertThat(s.localKey()).isNotEqualTo(s.remoteKey());
    }

    @Test
    void serverPicksTheOnlyProfileItSupports() throws Exception {
        start(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), BOTH, CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint());

        assertThat(serverEvents.established().profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(clientEvents.established().profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void noCommonProfileFailsTheServer() throws Exception {
        start(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), List.of(SrtpProfile.AEAD_AES_128_GCM),
                CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint());

        assertThat(serverEvents.next()).startsWith("failed NO_COMMON_SRTP_PROFILE");
        assertThat(clientEvents.next()).startsWith("failed HANDSHAKE_FAILED");
    }

    @Test
    void clientRejectsAServerCertificateThatIsNotTheAnnouncedOne() throws Exception {
        start(BOTH, BOTH, CLIENT_CERT.fingerprint(), DtlsCertificate.generate().fingerprint());

        assertThat(clientEvents.next()).startsWith("failed FINGERPRINT_MISMATCH");
        assertThat(serverEvents.next()).startsWith("failed HANDSHAKE_FAILED");
    }

    @Test
    void serverRejectsAClientCertificateThatIsNotTheAnnouncedOne() throws Exception {
        start(BOTH, BOTH, DtlsCertificate.generate().fingerprint(), SERVER_CERT.fingerprint());

        assertThat(serverEvents.next()).startsWith("failed FINGERPRINT_MISMATCH");
        assertThat(clientEvents.next()).startsWith("failed HANDSHAKE_FAILED");
    }

    @Test
    void localCloseSendsCloseNotifyAndThePeerReportsItClosed() throws Exception {
        start(BOTH, BOTH, CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint());
        serverEvents.established();
        clientEvents.established();

        server.close();

        assertThat(clientEvents.next()).isEqualTo("closed close_notify received");
        assertThat(serverEvents.log.poll(300, TimeUnit.MILLISECONDS)).as("no event after a local close").isNull();
    }

    @Test
    void garbageRecordsDoNotBreakAnEstablishedAssociation() throws Exception {
        start(BOTH, BOTH, CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint());
        serverEvents.established();
        clientEvents.established();
        byte[] truncated = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 5, 1, 2, 3, 4, 5};
        byte[] forged = new byte[13 + 40];
        System.arraycopy(truncated, 0, forged, 0, 11);
        forged[12] = 40;

        assertThat(client.offer(truncated)).isEqualTo(DtlsSession.Offer.MALFORMED);
        assertThat(client.offer(forged)).as("framed, fails its tag inside BC").isEqualTo(DtlsSession.Offer.QUEUED);
        assertThat(clientEvents.log.poll(300, TimeUnit.MILLISECONDS)).isNull();

        server.close();
        assertThat(clientEvents.next()).as("record layer still alive").isEqualTo("closed close_notify received");
    }

    private static final class Recorder implements DtlsSession.Events {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        volatile DtlsKeys keys;

        @Override
        public void onEstablished(DtlsKeys keys) {
            this.keys = keys;
            log.add("established");
        }

        @Override
        public void onFailed(DtlsFailure failure, String detail) {
            log.add("failed " + failure + " " + detail);
        }

        @Override
        public void onClosed(String detail) {
            log.add("closed " + detail);
        }

        String next() throws InterruptedException {
            return log.poll(10, TimeUnit.SECONDS);
        }

        DtlsKeys established() throws InterruptedException {
            assertThat(next()).isEqualTo("established");
            return keys;
        }
    }
}
