package live.cascade.api.acme;

import live.cascade.api.SharedServices;
import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.TestCertificate;
import live.cascade.api.harness.TlsClient;
import live.cascade.api.harness.TlsClient.Raw;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic HTTPS against Debian's pebble, Let's Encrypt's own ACME test server, run here with pebble-challtestsrv as
 * its DNS (every name is 127.0.0.1): the node proves the domain over real HTTP-01 on its challenge port, serves the
 * certificate pebble's CA issued for that name, redirects plain HTTP, and swaps in a renewed certificate on the same
 * running server while a connection opened before the swap keeps working, and a live broadcast keeps playing.
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
        // pebble's own HTTPS certificate (Debian ships none): self-signed for 127.0.0.1, trusted by the node through --acme-ca-trust.
        TestCertificate.selfSigned("pebble test listener").write(pebbleCert, work.resolve("pebble-key.pem"));
        pebbleClient = HttpClient.newBuilder().sslContext(TlsClient.trusting(List.of(readPem(pebbleCert)))).connectTimeout(Duration.ofSeconds(5)).build();

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
        SSLContext pebbleTrust = TlsClient.trusting(pebbleRoots());
        AcmeModule acme = node.server.acme().orElseThrow();
        int port = node.server.port();

        X509Certificate first = awaitFirstCertificate(pebbleTrust);
        assertThat(first.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo(DOMAIN));
        assertThat(first.getIssuerX500Principal().getName()).containsIgnoringCase("pebble");
        assertThat(acme.servedCertificate()).isEqualTo(first);
        assertThat(node.dataDir.resolve("acme/certificate.pem")).exists();
        assertThat(node.dataDir.resolve("acme/account-key.pem")).exists();

        try (SSLSocket s = tls(pebbleTrust, port)) {
            Raw ready = Raw.exchange(s, DOMAIN, "GET", "/readyz", true);
            assertThat(Json.MAPPER.readTree(ready.body()).at("/acme/status").asText()).as(ready.body()).isEqualTo("ok");
            Raw metrics = Raw.exchange(s, DOMAIN, "GET", "/metrics", false);
            assertThat(sample(metrics.body(), "cascade_acme_certificate_from_ca")).isEqualTo(1.0);
            double expiry = sample(metrics.body(), "cascade_tls_certificate_expiry_seconds");
            assertThat(expiry).isCloseTo(Duration.between(Instant.now(), first.getNotAfter().toInstant()).toSeconds(),
                    org.assertj.core.data.Offset.offset(120.0));
        }

        // Plain HTTP on the challenge port: unknown tokens are a problem document, everything else goes to https.
        try (Socket plain = new Socket("127.0.0.1", acme.challengePort())) {
            plain.setSoTimeout(10_000);
            Raw redirect = Raw.exchange(plain, DOMAIN, "GET", "/readyz?x=1", true);
            assertThat(redirect.status()).isEqualTo(308);
            assertThat(redirect.head()).containsIgnoringCase("location: https://" + DOMAIN + ":" + port + "/readyz?x=1");
            Raw unknown = Raw.exchange(plain, DOMAIN, "GET", Http01Responder.PREFIX + "no-such-token", false);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.head()).containsIgnoringCase("application/problem+json");
        }

        // Forced renewal on the running node: a connection opened before keeps working, new handshakes get the new one.
        try (SSLSocket before = tls(pebbleTrust, port)) {
            assertThat(Raw.exchange(before, DOMAIN, "GET", "/livez", true).status()).isEqualTo(200);
            X509Certificate renewed = acme.renewNow().get(90, TimeUnit.SECONDS);
            assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            assertThat(Raw.exchange(before, DOMAIN, "GET", "/livez", false).status()).as("the connection from before the swap").isEqualTo(200);
            try (SSLSocket after = tls(pebbleTrust, port)) {
                X509Certificate served = TlsClient.peer(after);
                assertThat(served.getSerialNumber()).isEqualTo(renewed.getSerialNumber());
                assertThat(served.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo(DOMAIN));
            }
        }
        assertThat(node.server.port()).as("same listener, no restart").isEqualTo(port);
    }

    /**
     * Issue 25: a renewal does not drop a live broadcast. Chromium publishes over WHIP and plays over WHEP through the
     * node's HTTPS port (its pages take any certificate; the certificate is checked on this test's own connections).
     * While pebble issues a renewed certificate and the node swaps it in, the viewer keeps decoding on the same
     * RTCPeerConnection and WHEP session, and a new HTTPS connection gets the renewed certificate.
     */
    @Test
    void aLiveBroadcastKeepsPlayingWhileTheCertificateIsRenewedAndSwapped() throws Exception {
        SSLContext pebbleTrust = TlsClient.trusting(pebbleRoots());
        AcmeModule acme = node.server.acme().orElseThrow();
        X509Certificate before = awaitFirstCertificate(pebbleTrust);
        MediaNode.Channel channel = MediaNode.of(node).createChannel("acme");
        try (Chromium browser = Chromium.launch(null, List.of("--ignore-certificate-errors"))) {
            Publisher publisher = Publisher.open(browser);
            publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CAMERA);
            Viewer viewer = Viewer.open(browser);
            JsonNode played = viewer.play(channel.whepUrl(), false);
            JsonNode playing = Eventually.await("the viewer decodes 30 frames", viewer::stats, s -> framesDecoded(s) >= 30,
                    () -> viewer.diagnostics() + "\n" + publisher.diagnostics());

            long renewing = System.nanoTime();
            X509Certificate renewed = acme.renewNow().get(90, TimeUnit.SECONDS);
            long renewalMs = (System.nanoTime() - renewing) / 1_000_000;
            JsonNode atSwap = viewer.stats();
            try (SSLSocket after = tls(pebbleTrust, node.server.port())) {
                assertThat(TlsClient.peer(after).getSerialNumber()).as("a new connection after the swap")
                        .isEqualTo(renewed.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
            }
            // A couple of seconds of media after the swap, on the same session.
            JsonNode after = Eventually.await("the viewer decodes 60 more frames after the swap", viewer::stats,
                    s -> framesDecoded(s) >= framesDecoded(atSwap) + 60, () -> viewer.diagnostics() + "\n" + publisher.diagnostics());
            assertThat(framesDecoded(atSwap)).as("frames decoded while the certificate was renewed and swapped")
                    .isGreaterThan(framesDecoded(playing));
            assertThat(after.at("/peerConnections").asInt()).as("no new RTCPeerConnection").isEqualTo(1);
            assertThat(after.at("/posts").asInt()).as("no new WHEP POST").isEqualTo(1);
            assertThat(after.at("/location").asText()).as("the same WHEP session").isEqualTo(played.at("/location").asText());
            assertThat(after.at("/pc/connectionState").asText()).isEqualTo("connected");
            assertThat(publisher.stats().at("/pc/connectionState").asText()).as("the WHIP publisher's connection").isEqualTo("connected");
            assertThat(browser.errors()).isEmpty();
            System.out.printf("[acme] renewal during a live broadcast took %d ms; viewer framesDecoded %d before, %d after the swap, %d at the end%n",
                    renewalMs, framesDecoded(playing), framesDecoded(atSwap), framesDecoded(after));
        }
    }

    /** Real HTTP-01 through pebble's VA: the first certificate arrives by itself, with no call from the test. */
    static X509Certificate awaitFirstCertificate(SSLContext pebbleTrust) throws Exception {
        int port = node.server.port();
        await("the node serves pebble's certificate", Duration.ofSeconds(90), () -> {
            try (SSLSocket s = tls(pebbleTrust, port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        try (SSLSocket s = tls(pebbleTrust, port)) {
            return TlsClient.peer(s);
        }
    }

    /** A connection that checks the chain against pebble's roots and the name against DOMAIN. */
    static SSLSocket tls(SSLContext pebbleTrust, int port) throws IOException {
        return TlsClient.connect(pebbleTrust, DOMAIN, port);
    }

    static double sample(String metrics, String name) {
        return Double.parseDouble(metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing from /metrics")).split(" ")[1]);
    }

    /** pebble makes a new root CA at every start; its management port hands it out. */
    static List<X509Certificate> pebbleRoots() throws Exception {
        HttpResponse<byte[]> r = pebbleClient.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + pebbleManagementPort + "/roots/0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return List.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(r.body())));
    }

    static X509Certificate readPem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
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
