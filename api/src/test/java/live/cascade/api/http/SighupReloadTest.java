package live.cascade.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.NodeProcess;
import live.cascade.api.harness.TestCertificate;
import live.cascade.api.harness.TlsClient;
import live.cascade.api.harness.TlsClient.Raw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's own PEM files, replaced on disk and re-read on {@code kill -HUP}: a real node in its own JVM (so the
 * signal and the JVM's handling of it are the real ones), certificates made by Bouncy Castle here. New connections
 * (HTTPS and RTMPS) get the new certificate; a connection opened before keeps going; bad files are refused with one log
 * line each, counted in {@code /metrics} and shown in {@code /readyz}, and the certificate served before stays.
 */
@Tag("integration")
@Timeout(180)
class SighupReloadTest {
    private static final Pattern RTMPS_PORT = Pattern.compile("RTMPS ingest on TCP \\S*:(\\d+)");
    private static final String REFUSED = "TLS reload refused";

    @TempDir
    Path dir;

    @Test
    void sighupServesTheNewFilesToNewConnectionsKeepsOpenOnesAndRefusesBadFilesKeepingTheOldCertificate() throws Exception {
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        TestCertificate first = TestCertificate.selfSigned("first.cascade.test");
        first.write(certFile, keyFile);
        try (NodeProcess node = NodeProcess.start("--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(),
                // the connection opened first must outlast every step however slow a loaded machine is
                "--http-idle-timeout", "3m", "--rtmps-port", "0")) {
            int port = node.port();
            Matcher m = RTMPS_PORT.matcher(node.output());
            assertThat(m.find()).as("the RTMPS port in the log:\n%s", node.output()).isTrue();
            int rtmpsPort = Integer.parseInt(m.group(1));
            assertThat(TlsClient.served(port)).isEqualTo(first.certificate());
            assertThat(TlsClient.served(rtmpsPort)).isEqualTo(first.certificate());

            try (SSLSocket before = TlsClient.connect(TlsClient.trustingAnything(), null, port)) {
                assertThat(Raw.exchange(before, "127.0.0.1", "GET", "/livez", true).status()).isEqualTo(200);

                TestCertificate second = TestCertificate.selfSigned("second.cascade.test");
                second.write(certFile, keyFile);
                hangUp(node);
                await("a new connection gets the second certificate", () -> served(port).equals(second.certificate()), node);
                assertThat(TlsClient.served(rtmpsPort)).as("RTMPS follows the reload").isEqualTo(second.certificate());
                assertThat(Raw.exchange(before, "127.0.0.1", "GET", "/livez", true).status())
                        .as("the connection from before the reload").isEqualTo(200);
                assertThat(TlsClient.peer(before)).as("and it keeps the session it negotiated").isEqualTo(first.certificate());
                JsonNode tls = readiness(port).at("/tls");
                assertThat(tls.at("/status").asText()).as(tls.toString()).isEqualTo("ok");
                assertThat(tls.at("/reloads").asInt()).isEqualTo(1);
                assertThat(tls.at("/serial").asText()).isEqualTo(second.certificate().getSerialNumber().toString(16));

                // Three bad sets of files, each refused with one log line; the second certificate stays in service.
                TestCertificate other = TestCertificate.selfSigned("other.cascade.test");
                other.write(certFile, keyFile, first);
                refused(node, 1, "is not the private key of the certificate", second);
                Instant now = Instant.now();
                TestCertificate expired = TestCertificate.selfSigned("expired.cascade.test", now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
                expired.write(certFile, keyFile);
                refused(node, 2, "expired at", second);
                Files.delete(keyFile);
                refused(node, 3, "--tls-key " + keyFile, second);

                tls = readiness(port).at("/tls");
                assertThat(tls.at("/status").asText()).as("a refused reload shows until one succeeds: %s", tls).isEqualTo("degraded");
                assertThat(tls.at("/refusedReloads").asInt()).isEqualTo(3);
                assertThat(tls.at("/lastRefusal").asText()).contains("--tls-key");
                assertThat(tls.at("/serial").asText()).isEqualTo(second.certificate().getSerialNumber().toString(16));
                String metrics = get(port, "/metrics").body();
                assertThat(metrics).contains("cascade_tls_reloads_total{outcome=\"refused\"} 3.0")
                        .contains("cascade_tls_reloads_total{outcome=\"ok\"} 1.0")
                        .contains("cascade_tls_certificate_expiry_seconds ");
                assertThat(Raw.exchange(before, "127.0.0.1", "GET", "/livez", true).status())
                        .as("the first connection outlived four hang-ups").isEqualTo(200);
            }
            assertThat(node.awaitExit(Duration.ZERO)).as("SIGHUP no longer stops the JVM").isEmpty();
            assertThat(node.output().lines().filter(l -> l.contains(REFUSED)).count()).as("one log line per refusal").isEqualTo(3);
        }
    }

    /** After the {@code n}th bad set of files: its log line names the fault, and new connections still get {@code kept}. */
    private static void refused(NodeProcess node, int n, String fault, TestCertificate kept) throws Exception {
        hangUp(node);
        await("refusal " + n + " is logged", () -> node.output().lines().filter(l -> l.contains(REFUSED)).count() == n, node);
        String line = node.output().lines().filter(l -> l.contains(REFUSED)).reduce((a, b) -> b).orElseThrow();
        assertThat(line).contains(fault).contains("still serving CN=second.cascade.test");
        assertThat(TlsClient.served(node.port())).as("after refusal %d", n).isEqualTo(kept.certificate());
    }

    private static void hangUp(NodeProcess node) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor()).isZero();
    }

    private static X509Certificate served(int port) {
        try {
            return TlsClient.served(port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode readiness(int port) throws Exception {
        return Json.MAPPER.readTree(get(port, "/readyz").body());
    }

    private static Raw get(int port, String path) throws Exception {
        try (SSLSocket s = TlsClient.connect(TlsClient.trustingAnything(), null, port)) {
            return Raw.exchange(s, "127.0.0.1", "GET", path, false);
        }
    }

    private static void await(String what, BooleanSupplier done, NodeProcess node) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting until " + what + "\nnode output:\n" + node.output());
            Thread.sleep(100);
        }
    }
}
