package live.cascade.sfu.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.IceParameters;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A WebRTC peer for tests, written against the libraries directly (ice4j, Bouncy Castle, Jitsi SRTP) rather than the
 * production classes: a loopback UDP socket demultiplexed by a reader thread, ICE checks, a DTLS client or server with
 * use_srtp and certificate fingerprints, and SRTP keyed from the exported material.
 */
public final class TestPeer implements AutoCloseable {
    public static final int GCM = 0x0007;
    public static final int CM = 0x0001;

    private final DatagramSocket socket;
    private final LinkedBlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<byte[]> dtls = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final IceParameters ice;
    private final KeyPair keys;
    private final byte[] certificateDer;
    private volatile InetSocketAddress remote;
    private volatile DTLSTransport dtlsTransport;
    private volatile boolean holdFinalFlight;
    private volatile boolean holding;
    private final List<byte[]> held = new CopyOnWriteArrayList<>();

    public TestPeer() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SecureRandom random = new SecureRandom();
        ice = new IceParameters("peer" + Integer.toHexString(random.nextInt(0xFFFF)), "peerPassword0123456789abcd");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=test-peer");
        certificateDer = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(random.nextInt(1 << 30)),
                new Date(System.currentTimeMillis() - 86_400_000L), new Date(System.currentTimeMillis() + 86_400_000L),
                name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        reader = Thread.ofPlatform().daemon().name("test-peer-reader").start(this::read);
    }

    public IceParameters ice() { return ice; }

    public InetSocketAddress address() { return (InetSocketAddress) socket.getLocalSocketAddress(); }

    /** sha-256 of our certificate, computed here with MessageDigest. */
    public DtlsFingerprint fingerprint() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificateDer);
        return new DtlsFingerprint("sha-256", HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    public void send(byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    public byte[] awaitStun(Duration timeout) throws InterruptedException {
        return stun.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next DTLS datagram received, for a test that plays no DTLS itself (null on timeout). */
    public byte[] awaitDtls(Duration timeout) throws InterruptedException {
        return dtls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public byte[] awaitMedia(Duration timeout) throws InterruptedException {
        return media.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a browser-style check for {@code serverIce} and returns the response (null on timeout). */
    public byte[] check(InetSocketAddress server, IceParameters serverIce, boolean useCandidate) throws Exception {
        byte[] request = StunRequests.browserCheck(serverIce.ufrag(), serverIce.password(), ice.ufrag(), useCandidate);
        send(request, server);
        return awaitStun(Duration.ofSeconds(5));
    }

    /** Runs a DTLS client handshake toward {@code server}, offering {@code profiles}. */
    public Keys dtlsClient(InetSocketAddress server, int[] profiles, DtlsFingerprint expectedServer) throws IOException {
        remote = server;
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        Client client = new Client(crypto, profiles, expectedServer);
        dtlsTransport = new DTLSClientProtocol().connect(client, new Transport());
        return new Keys(client.chosen, client.material, true);
    }

    /** Runs a DTLS server handshake for a client at {@code client}, accepting only {@code profiles}. */
    public Keys dtlsServer(InetSocketAddress client, int[] profiles, DtlsFingerprint expectedClient) throws IOException {
        remote = client;
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        Server server = new Server(crypto, profiles, expectedClient);
        // With cookie exchange (HelloVerifyRequest), as OpenSSL-based peers do: our client must cope.
        dtlsTransport = new DTLSServerProtocol().accept(server, new Transport());
        return new Keys(server.chosen, server.material, false);
    }

    /**
     * As DTLS server, keep everything sent after the client's certificate arrived (our last flight) until
     * {@link #releaseHeld()}: the peer then has keys while the other side is still waiting to finish.
     */
    public void holdServerFinalFlight() {
        holdFinalFlight = true;
    }

    public void releaseHeld() throws IOException {
        holding = false;
        for (byte[] d : held) send(d, remote);
        held.clear();
    }

    /** Sends close_notify on the established DTLS association. */
    public void closeDtls() throws IOException {
        dtlsTransport.close();
    }

    @Override
    public void close() {
        socket.close();
        reader.interrupt();
    }

    private void read() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            byte[] datagram = Arrays.copyOf(p.getData(), p.getLength());
            if (datagram.length == 0) continue;
            int first = datagram[0] & 0xFF;
            if (first <= 3) stun.add(datagram);
            else if (first >= 20 && first <= 63) dtls.add(datagram);
            else if (first >= 128 && first <= 191) media.add(datagram);
        }
    }

    /** Exported keying material and the negotiated profile. */
    public record Keys(int profile, byte[] material, boolean weAreClient) {}

    private final class Transport implements DatagramTransport {
        @Override public int getReceiveLimit() { return 1500; }
        @Override public int getSendLimit() { return 1200; }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] d = dtls.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) return -1;
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (holding) {
                held.add(Arrays.copyOfRange(buf, off, off + len));
                return;
            }
            socket.send(new DatagramPacket(buf, off, len, remote));
        }

        @Override public void close() {}
    }

    private static final int[] SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA};

    private TlsCredentialedSigner signer(TlsContext context, JcaTlsCrypto crypto) throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificateDer)});
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, keys.getPrivate(), chain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    private static void verify(Certificate chain, DtlsFingerprint expected) throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chain.getCertificateAt(0).getEncoded());
            String actual = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
            if (!actual.equals(expected.value())) throw new TlsFatalAlert(AlertDescription.bad_certificate);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private final class Client extends DefaultTlsClient {
        private final JcaTlsCrypto crypto;
        private final int[] profiles;
        private final DtlsFingerprint expected;
        volatile int chosen;
        volatile byte[] material;

        Client(JcaTlsCrypto crypto, int[] profiles, DtlsFingerprint expected) {
            super(crypto);
            this.crypto = crypto;
            this.profiles = profiles;
            this.expected = expected;
        }

        @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }
        @Override protected int[] getSupportedCipherSuites() { return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES); }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(profiles, new byte[0]));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable ext) throws IOException {
            super.processServerExtensions(ext);
            chosen = TlsSRTPUtils.getUseSRTPExtension(ext).getProtectionProfiles()[0];
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override public void notifyServerCertificate(TlsServerCertificate c) throws IOException {
                    verify(c.getCertificate(), expected);
                }

                @Override public TlsCredentials getClientCredentials(CertificateRequest r) throws IOException {
                    return signer(context, crypto);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, chosen == GCM ? 56 : 60);
        }
    }

    private final class Server extends DefaultTlsServer {
        private final JcaTlsCrypto crypto;
        private final int[] profiles;
        private final DtlsFingerprint expected;
        volatile int chosen;
        volatile byte[] material;

        Server(JcaTlsCrypto crypto, int[] profiles, DtlsFingerprint expected) {
            super(crypto);
            this.crypto = crypto;
            this.profiles = profiles;
            this.expected = expected;
        }

        @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }
        @Override protected int[] getSupportedCipherSuites() { return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES); }
        @Override protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException { return signer(context, crypto); }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate c) throws IOException {
            verify(c, expected);
            if (holdFinalFlight) holding = true;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable ext) throws IOException {
            super.processClientExtensions(ext);
            for (int offered : TlsSRTPUtils.getUseSRTPExtension(ext).getProtectionProfiles()) {
                for (int ours : profiles) {
                    if (offered == ours) {
                        chosen = ours;
                        return;
                    }
                }
            }
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = super.getServerExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen}, new byte[0]));
            return ext;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, chosen == GCM ? 56 : 60);
        }
    }

}
