package live.cascade.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import live.cascade.sfu.params.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** Our side as DTLS 1.2 client (the remote said {@code a=setup:passive}, as FFmpeg does by default). */
final class SrtpDtlsClient extends DefaultTlsClient {
    private final JcaTlsCrypto crypto;
    private final DtlsSettings settings;
    private final HandshakeState state;

    SrtpDtlsClient(JcaTlsCrypto crypto, DtlsSettings settings, HandshakeState state) {
        super(crypto);
        this.crypto = crypto;
        this.settings = settings;
        this.state = state;
    }

    @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }

    @Override protected int[] getSupportedCipherSuites() { return CipherSuites.supported(getCrypto()); }

    @Override public int getHandshakeTimeoutMillis() { return settings.handshakeTimeoutMillis(); }

    /**
     * We send the ClientHello as soon as ICE selects a pair, which can beat the peer's own switch from ICE to DTLS
     * (FFmpeg drops it then); resending after 200 ms instead of RFC 6347's 1 s keeps that from costing a second.
     * Backoff still doubles from here.
     */
    @Override public int getHandshakeResendTimeMillis() { return 200; }

    @Override
    public void notifySelectedCipherSuite(int selectedCipherSuite) {
        super.notifySelectedCipherSuite(selectedCipherSuite);
        state.onCipherSuite(selectedCipherSuite);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(settings.profileIds(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        // RFC 5764 4.1.1: the server answers with exactly one of the profiles we offered.
        if (selected != null && selected.getProtectionProfiles().length == 1) {
            int id = selected.getProtectionProfiles()[0];
            for (SrtpProfile ours : settings.srtpProfiles()) {
                if (ours.id() == id) {
                    state.profile = ours;
                    return;
                }
            }
        }
        state.noCommonProfile(AlertDescription.illegal_parameter);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                state.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                state.computing();
                return Signers.ecdsa(context, crypto, settings.certificate());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.computing();
        state.keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                DtlsKeys.materialLength(state.profile));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.onAlertReceived(alertLevel, alertDescription);
    }
}
