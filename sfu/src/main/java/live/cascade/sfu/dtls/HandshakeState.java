package live.cascade.sfu.dtls;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * What the Bouncy Castle callbacks of one handshake learned, kept so the session can tell a fingerprint mismatch or
 * a missing SRTP profile apart from other failures, and see a peer's close_notify. Written on the session thread;
 * volatile because the fields are read again after BC returns or throws.
 */
final class HandshakeState {
    private final DtlsFingerprint expectedRemote;
    /** Where the handshake's crypto ran: a handful of names per handshake, read by tests and diagnostics. */
    private final List<String> threads = new CopyOnWriteArrayList<>();

    volatile SrtpProfile profile;
    volatile byte[] keyingMaterial;
    volatile boolean fingerprintMismatch;
    volatile boolean noCommonProfile;
    volatile boolean closeNotifyReceived;
    volatile short fatalAlertReceived = -1;
    volatile int minEncryptedRecord = CipherSuites.DEFAULT_MIN_ENCRYPTED_RECORD;

    HandshakeState(DtlsFingerprint expectedRemote) {
        this.expectedRemote = expectedRemote;
    }

    /**
     * Bouncy Castle is about to compute (sign with our key, verify the peer's certificate, derive the keys) on this
     * thread: it calls our callbacks synchronously from the step that needs them.
     */
    void computing() {
        threads.add(Thread.currentThread().getName());
    }

    List<String> threads() { return List.copyOf(threads); }

    /** Verifies the peer's end-entity certificate against the SDP fingerprint; a mismatch aborts the handshake. */
    void verifyPeer(Certificate chain) throws IOException {
        computing();
        if (chain == null || chain.isEmpty()) {
            // WebRTC is mutually authenticated; a peer without a certificate cannot match its fingerprint.
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        if (!DtlsCertificate.matches(chain.getCertificateAt(0).getEncoded(), expectedRemote)) {
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
        }
    }

    void noCommonProfile(short alert) throws IOException {
        noCommonProfile = true;
        throw new TlsFatalAlert(alert, "no common SRTP protection profile");
    }

    void onCipherSuite(int suite) {
        minEncryptedRecord = CipherSuites.minEncryptedRecord(suite);
    }

    void onAlertReceived(short level, short description) {
        if (level == AlertLevel.fatal) fatalAlertReceived = description;
        else if (description == AlertDescription.close_notify) closeNotifyReceived = true;
    }
}
