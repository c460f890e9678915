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

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=localhost"), BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=localhost"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null));
        }
        try (TestNode node = new TestNode("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString())) {
            assertThat(node.server.baseUrl()).startsWith("https://");
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
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
        }
    }

    @Test
    void certificateWithoutKeyFailsTheStartNamingTheSetting() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--tls-cert", cert.toString()}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--tls-key");
    }
}
