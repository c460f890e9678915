package live.cascade.api.http;

import live.cascade.api.TestNode;
import live.cascade.api.config.ConfigException;
import live.cascade.api.config.ConfigLoader;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsTest {
    @TempDir
    Path dir;

    Path certFile;
    Path keyFile;

    /** A self-signed EC certificate for localhost and its PKCS#8 key, as PEM files. */
    void writeCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=localhost"), BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=localhost"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        certFile = dir.resolve("cert.pem");
        keyFile = dir.resolve("key.pem");
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null));
        }
    }

    static HttpClient trustingClient() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    /** Issue 23: RTMPS speaks RTMP inside TLS with the node's own certificate, on its own port. */
    @Test
    void rtmpsAnswersTheRtmpHandshakeInsideTlsWithTheNodesCertificate() throws Exception {
        writeCertificate();
        try (TestNode node = new TestNode("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(), "--rtmps-port", "0")) {
            int port = node.server.media().rtmp().tlsPort().orElseThrow();
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
                X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                String pem = Files.readString(certFile);
                assertThat(java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(served.getEncoded()))
                        .as("the node's certificate").isEqualTo(pem.replaceAll("-----[A-Z ]+-----", "").strip());
                byte[] c0c1 = new byte[1 + 1536];
                c0c1[0] = 3;
                socket.getOutputStream().write(c0c1);
                socket.getOutputStream().flush();
                byte[] s0s1s2 = socket.getInputStream().readNBytes(1 + 2 * 1536);
                assertThat(s0s1s2).hasSize(1 + 2 * 1536);
                assertThat(s0s1s2[0]).as("RTMP version 3").isEqualTo((byte) 3);
            }
            assertThat(node.server.media().rtmp().port()).as("plain RTMP is off in test nodes unless asked for").isEmpty();
        }
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--rtmps-port", "1936"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rtmps-port").hasMessageContaining("tls-cert");
    }

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        writeCertificate();
        try (TestNode node = new TestNode("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString())) {
            assertThat(node.server.baseUrl()).startsWith("https://");
            HttpClient client = trustingClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.server.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"ok\"");
            // Cookies set over HTTPS are Secure.
            HttpResponse<String> signup = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.server.port() + "/api/auth/signup"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"tls_user\",\"email\":\"t@example.org\",\"password\":\"secure origins only\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signup.statusCode()).isEqualTo(201);
            assertThat(signup.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("Secure");
            // HSTS on every HTTPS response, errors included.
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.server.port() + "/api/nothing-here")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        }
    }

    @Test
    void hstsFollowsItsSettingsOverHttps() throws Exception {
        writeCertificate();
        try (TestNode node = new TestNode("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(),
                "--hsts-max-age", "1h", "--hsts-include-subdomains", "false")) {
            assertThat(trustingClient().send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.server.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("Strict-Transport-Security")).hasValue("max-age=3600");
        }
        try (TestNode node = new TestNode("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(), "--hsts-max-age", "0")) {
            HttpResponse<String> r = trustingClient().send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.server.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).as("turned off").isEmpty();
        }
    }

    @Test
    void plainHttpNeverSendsHsts() {
        try (TestNode node = new TestNode()) {
            TestNode.Response r = node.get("/readyz", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Strict-Transport-Security")).isNull();
            assertThat(node.get("/", null).header("Strict-Transport-Security")).isNull();
        }
    }

    @Test
    void hstsSettingsAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hsts-include-subdomains", "yes"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--hsts-include-subdomains");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hsts-max-age", "a year"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--hsts-max-age");
    }

    @Test
    void certificateWithoutKeyFailsTheStartNamingTheSetting() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--tls-cert", cert.toString()}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--tls-key");
    }
}
