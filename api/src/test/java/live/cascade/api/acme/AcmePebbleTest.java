package live.cascade.api.acme;

import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import live.cascade.api.http.Json;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic HTTPS against Debian's pebble, Let's Encrypt's own ACME test server, run here with pebble-challtestsrv as
 * its DNS (every name is 127.0.0.1): the node proves the domain over real HTTP-01 on its challenge port, serves the
 * certificate pebble's CA issued for that name, redirects plain HTTP, and swaps in a renewed certificate on the same
 * running server while a connection opened before the swap keeps working.
 */
@Tag("integration")
class AcmePebbleTest {
    static final String DOMAIN = "node.cascade.test";
    static Path work;
    static Process dns;
    static Process pebble;
    static int pebblePort;
    static int pebbleManagementPort;
    static HttpClient pebbleClient;
    static TestNode node;

    @BeforeAll
    static void startPebbleAndNode() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/pebble")) || !Files.isExecutable(Path.of("/usr/bin/pebble-challtestsrv"))) {
            SharedServices.missingService("Debian's pebble and pebble-challtestsrv (apt-get install pebble)");
        }
        work = Files.createTempDirectory("cascade-pebble");
        Path pebbleCert = work.resolve("pebble-cert.pem");
        writePebbleTlsCertificate(pebbleCert, work.resolve("pebble-key.pem"));
        pebbleClient = HttpClient.newBuilder().sslContext(trusting(List.of(readPem(pebbleCert)))).connectTimeout(Duration.ofSeconds(5)).build();

        int dnsPort = SharedServices.freeTcpPort();
        dns = new ProcessBuilder("/usr/bin/pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-management", "127.0.0.1:" + SharedServices.freeTcpPort(), "-defaultIPv4", "127.0.0.1",
                "-defaultIPv6", "").redirectErrorStream(true).redirectOutput(work.resolve("challtestsrv.log").toFile()).start();

        pebblePort = SharedServices.freeTcpPort();
        pebbleManagementPort = SharedServices.freeTcpPort();
        int challengePort = SharedServices.freeTcpPort();
        // pebble validates HTTP-01 on httpPort of the name's address: the node's challenge port, on 127.0.0.1.
        Files.writeString(work.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(pebblePort, pebbleManagementPort, pebbleCert, work.resolve("pebble-key.pem"), challengePort,
                SharedServices.freeTcpPort()));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/pebble", "-config", work.resolve("pebble.json").toString(),
                "-dnsserver", "127.0.0.1:" + dnsPort).redirectErrorStream(true).redirectOutput(work.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");      // validate at once, not after up to 15 s
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0"); // acme4j retries bad nonces, but a run should not depend on it
        pebble = pb.start();
        await("pebble serves its directory", Duration.ofSeconds(30), () -> {
            if (!pebble.isAlive()) throw new AssertionError("pebble exited:\n" + log("pebble.log"));
            try {
                return pebbleClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pebblePort + "/dir")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });

        node = new TestNode("--acme-domain", DOMAIN, "--acme-email", "ops@cascade.test", "--acme-agree-tos", "true",
                "--acme-directory", "https://127.0.0.1:" + pebblePort + "/dir", "--acme-ca-trust", pebbleCert.toString(),
                "--acme-http-port", Integer.toString(challengePort), "--acme-check-interval", "1m",
                // The connection opened before the forced renewal must outlast it however slow a loaded machine is.
                "--http-idle-timeout", "3m");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        for (Process p : new Process[]{pebble, dns}) {
            if (p == null) continue;
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theNodeServesACertificateFromPebblesCaForItsDomainAndSwapsInARenewedOneWithoutARestart() throws Exception {
        SSLContext pebbleTrust = trusting(pebbleRoots());
        AcmeModule acme = node.server.acme().orElseThrow();
        int port = node.server.port();

        // Real HTTP-01 through pebble's VA: the first certificate arrives by itself, with no call from the test.
        await("the node serves pebble's certificate", Duration.ofSeconds(90), () -> {
            try (SSLSocket s = tls(pebbleTrust, port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        X509Certificate first;
        try (SSLSocket s = tls(pebbleTrust, port)) {
            first = (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
        assertThat(first.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo(DOMAIN));
        assertThat(first.getIssuerX500Principal().getName()).containsIgnoringCase("pebble");
        assertThat(acme.servedCertificate()).isEqualTo(first);
        assertThat(node.dataDir.resolve("acme/certificate.pem")).exists();
        assertThat(node.dataDir.resolve("acme/account-key.pem")).exists();

        try (SSLSocket s = tls(pebbleTrust, port)) {
            Raw ready = Raw.exchange(s, "GET", "/readyz", true);
            assertThat(Json.MAPPER.readTree(ready.body()).at("/acme/status").asText()).as(ready.body()).isEqualTo("ok");
            Raw metrics = Raw.exchange(s, "GET", "/metrics", false);
            assertThat(sample(metrics.body(), "cascade_acme_certificate_from_ca")).isEqualTo(1.0);
            double expiry = sample(metrics.body(), "cascade_tls_certificate_expiry_seconds");
            assertThat(expiry).isCloseTo(Duration.between(Instant.now(), first.getNotAfter().toInstant()).toSeconds(),
                    org.assertj.core.data.Offset.offset(120.0));
        }

        // Plain HTTP on the challenge port: unknown tokens are a problem document, everything else goes to https.
        try (Socket plain = new Socket("127.0.0.1", acme.challengePort())) {
            plain.setSoTimeout(10_000);
            Raw redirect = Raw.exchange(plain, "GET", "/readyz?x=1", true);
            assertThat(redirect.status()).isEqualTo(308);
            assertThat(redirect.head()).containsIgnoringCase("location: https://" + DOMAIN + ":" + port + "/readyz?x=1");
            Raw unknown = Raw.exchange(plain, "GET", Http01Responder.PREFIX + "no-such-token", false);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.head()).containsIgnoringCase("application/problem+json");
        }

        // Forced renewal on the running node: a connection opened before keeps working, new handshakes get the new one.
        try (SSLSocket before = tls(pebbleTrust, port)) {
            assertThat(Raw.exchange(before, "GET", "/livez", true).status()).isEqualTo(200);
            X509Certificate renewed = acme.renewNow().get(90, TimeUnit.SECONDS);
            assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            assertThat(Raw.exchange(before, "GET", "/livez", false).status()).as("the connection from before the swap").isEqualTo(200);
            try (SSLSocket after = tls(pebbleTrust, port)) {
                X509Certificate served = (X509Certificate) after.getSession().getPeerCertificates()[0];
                assertThat(served.getSerialNumber()).isEqualTo(renewed.getSerialNumber());
                assertThat(served.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo(DOMAIN));
            }
        }
        assertThat(node.server.port()).as("same listener, no restart").isEqualTo(port);
    }

    static double sample(String metrics, String name) {
        return Double.parseDouble(metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing from /metrics")).split(" ")[1]);
    }

    /** A TLS connection to the node that checks the chain against pebble's roots and the name against DOMAIN. */
    static SSLSocket tls(SSLContext trust, int port) throws IOException {
        Socket raw = new Socket("127.0.0.1", port);
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(raw, DOMAIN, port, true);
        var params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of(new SNIHostName(DOMAIN)));
        s.setSSLParameters(params);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** pebble makes a new root CA at every start; its management port hands it out. */
    static List<X509Certificate> pebbleRoots() throws Exception {
        HttpResponse<byte[]> r = pebbleClient.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + pebbleManagementPort + "/roots/0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return List.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(r.body())));
    }

    static SSLContext trusting(List<X509Certificate> anchors) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.size(); i++) ks.setCertificateEntry("a" + i, anchors.get(i));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static X509Certificate readPem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** pebble's own HTTPS certificate (Debian ships none): self-signed for 127.0.0.1, trusted by the node through --acme-ca-trust. */
    static void writePebbleTlsCertificate(Path certFile, Path keyFile) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=pebble test listener");
        Instant now = Instant.now();
        var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(1))), name, kp.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
        }
    }

    /** One HTTP/1.1 exchange on an open socket, read by Content-Length so the connection can carry another. */
    record Raw(int status, String head, String body) {
        static Raw exchange(Socket s, String method, String path, boolean keepAlive) throws IOException {
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + DOMAIN + "\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed in the response head: " + head);
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(h.substring(9, 12));
            String lower = h.toLowerCase(Locale.ROOT);
            int i = lower.indexOf("content-length:");
            byte[] body;
            if (i >= 0) {
                int len = Integer.parseInt(lower.substring(i + 15, lower.indexOf("\r\n", i)).strip());
                body = in.readNBytes(len);
            } else if (lower.contains("transfer-encoding: chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    StringBuilder line = new StringBuilder();
                    for (int b; (b = in.read()) != '\n'; ) if (b != '\r') line.append((char) b);
                    int size = Integer.parseInt(line.toString().strip(), 16);
                    out.write(in.readNBytes(size));
                    in.read();
                    in.read();
                    if (size == 0) break;
                }
                body = out.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new Raw(status, h, new String(body, StandardCharsets.UTF_8));
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    static void await(String what, Duration timeout, Check check) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what + "\npebble:\n" + log("pebble.log") + "\nchalltestsrv:\n" + log("challtestsrv.log"));
            }
            Thread.sleep(250);
        }
    }

    static String log(String name) {
        try {
            return Files.readString(work.resolve(name));
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }
}
