package live.cascade.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import live.cascade.sfu.params.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** Our side as DTLS 1.2 server: requires a client certificate matching the SDP fingerprint and negotiates use_srtp. */
final class SrtpDtlsServer extends DefaultTlsServer {
    private final JcaTlsCrypto crypto;
    private final DtlsSettings settings;
    private final HandshakeState state;
    private SrtpProfile chosen;

    SrtpDtlsServer(JcaTlsCrypto crypto, DtlsSettings settings, HandshakeState state) {
        super(crypto);
        this.crypto = crypto;
        this.settings = settings;
        this.state = state;
    }

    @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }

    @Override protected int[] getSupportedCipherSuites() { return CipherSuites.supported(getCrypto()); }

    @Override public int getHandshakeTimeoutMillis() { return settings.handshakeTimeoutMillis(); }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        state.computing();
        return Signers.ecdsa(context, crypto, settings.certificate());
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // Browsers use ECDSA certificates, but nothing stops a client from presenting RSA; its fingerprint decides.
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public int getSelectedCipherSuite() throws IOException {
        int suite = super.getSelectedCipherSuite();
        state.onCipherSuite(suite);
        return suite;
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        state.verifyPeer(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            for (SrtpProfile ours : settings.srtpProfiles()) {
                for (int id : offered.getProtectionProfiles()) {
                    if (id == ours.id()) {
                        chosen = ours;
                        state.profile = ours;
                        return;
                    }
                }
            }
        }
        state.noCommonProfile(AlertDescription.handshake_failure);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {chosen.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.computing();
        state.keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                DtlsKeys.materialLength(chosen));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.onAlertReceived(alertLevel, alertDescription);
    }
}
