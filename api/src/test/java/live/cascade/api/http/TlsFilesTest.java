package live.cascade.api.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import live.cascade.api.harness.TestCertificate;
import live.cascade.api.ops.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operator's PEM files on their own: what a start and a reload accept, refuse and report. */
class TlsFilesTest {
    @TempDir
    Path dir;

    Path cert() {
        return dir.resolve("cert.pem");
    }

    Path key() {
        return dir.resolve("key.pem");
    }

    @Test
    void aReloadServesGoodFilesAndRefusesBadOnesKeepingTheCertificateItServes() throws Exception {
        TestCertificate first = TestCertificate.selfSigned("first");
        first.write(cert(), key());
        TlsFiles files = TlsFiles.open(cert(), key(), Clock.systemUTC());
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        files.bindMetrics(metrics);
        assertThat(files.served()).isEqualTo(first.certificate());
        assertThat(files.readinessNow()).isInstanceOf(Readiness.Ok.class);
        var rtmps = files.tls().nettyContext();
        assertThat(files.tls().nettyContext()).as("built once per certificate, not per connection").isSameAs(rtmps);

        TestCertificate other = TestCertificate.selfSigned("other");
        other.write(cert(), key(), first);
        assertThat(files.reload()).isFalse();
        Instant now = Instant.now();
        TestCertificate.selfSigned("expired", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))).write(cert(), key());
        assertThat(files.reload()).isFalse();
        TestCertificate.selfSigned("future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3))).write(cert(), key());
        assertThat(files.reload()).isFalse();
        Files.writeString(key(), "not PEM at all");
        assertThat(files.reload()).isFalse();
        assertThat(files.served()).as("every refusal keeps the first").isEqualTo(first.certificate());
        assertThat(files.tls().nettyContext()).isSameAs(rtmps);
        Readiness refused = files.readinessNow();
        assertThat(refused).isInstanceOf(Readiness.Degraded.class);
        assertThat(refused.details()).containsEntry("refusedReloads", 4L).containsEntry("reloads", 0L);
        assertThat((String) refused.details().get("lastRefusal")).contains("--tls-key " + key());

        TestCertificate second = TestCertificate.selfSigned("second");
        second.write(cert(), key());
        assertThat(files.reload()).isTrue();
        assertThat(files.served()).isEqualTo(second.certificate());
        assertThat(files.tls().nettyContext()).as("RTMPS follows the swap").isNotSameAs(rtmps);
        Readiness ok = files.readinessNow();
        assertThat(ok).as("a good reload clears the refusal").isInstanceOf(Readiness.Ok.class);
        assertThat(ok.details()).containsEntry("reloads", 1L).containsEntry("refusedReloads", 4L).doesNotContainKey("lastRefusal");
        assertThat(metrics.get("cascade_tls_reloads_total").tag("outcome", "refused").counter().count()).isEqualTo(4.0);
        assertThat(metrics.get("cascade_tls_reloads_total").tag("outcome", "ok").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get("cascade_tls_certificate_expiry_seconds").gauge().value()).isPositive();
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStartButAnExpiredCertificateIsServedAndShownDown() throws Exception {
        TestCertificate a = TestCertificate.selfSigned("a");
        TestCertificate.selfSigned("b").write(cert(), key(), a);
        assertThatThrownBy(() -> TlsFiles.open(cert(), key(), Clock.systemUTC()))
                .isInstanceOf(PemTls.PemException.class).hasMessageContaining("is not the private key of the certificate");

        Instant now = Instant.now();
        TestCertificate expired = TestCertificate.selfSigned("old", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
        expired.write(cert(), key());
        TlsFiles files = TlsFiles.open(cert(), key(), Clock.systemUTC());
        assertThat(files.served()).isEqualTo(expired.certificate());
        assertThat(files.readinessNow()).isInstanceOf(Readiness.Down.class);
        assertThat(files.readinessNow().reason()).contains("expired").contains("SIGHUP");
    }
}
