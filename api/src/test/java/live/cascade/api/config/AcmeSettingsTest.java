package live.cascade.api.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcmeSettingsTest {
    @TempDir
    Path dir;

    @Test
    void offByDefaultWithLetsEncryptProductionAsTheDirectory() {
        CascadeConfig c = ConfigLoader.load(new String[0], Map.of());
        assertThat(c.acme().enabled()).isFalse();
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.acme().directory()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
        assertThat(c.acme().httpPort()).isEqualTo(80);
        assertThat(c.acme().renewBefore()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void readFromFlagsEnvironmentAndFileAndTurnTheHttpPortToHttps() throws Exception {
        Path file = Files.writeString(dir.resolve("node.conf"), "acme-domain = Live.Example.org, www.example.org\nacme-agree-tos = true\n");
        CascadeConfig c = ConfigLoader.load(new String[]{"--config", file.toString(), "--acme-renew-before", "20d"},
                Map.of("CASCADE_ACME_EMAIL", "ops@example.org", "CASCADE_ACME_HTTP_PORT", "8081"));
        assertThat(c.acme().domains()).containsExactly("live.example.org", "www.example.org");
        assertThat(c.acme().email()).contains("ops@example.org");
        assertThat(c.acme().httpPort()).isEqualTo(8081);
        assertThat(c.acme().renewBefore()).isEqualTo(Duration.ofDays(20));
        assertThat(c.tlsEnabled()).as("the HTTP port speaks HTTPS with the ACME certificate").isTrue();
    }

    @Test
    void refusesWithoutAgreementToTheTerms() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-domain", "live.example.org"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--acme-agree-tos true is required")
                .hasMessageContaining("https://acme-v02.api.letsencrypt.org/directory");
    }

    @Test
    void refusesWhatHttp01CannotProve() {
        for (String bad : List.of("*.example.org", "192.0.2.1", "localhost", "exa mple.org")) {
            assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-domain", bad, "--acme-agree-tos", "true"}, Map.of()))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("invalid --acme-domain");
        }
    }

    @Test
    void refusesTwoSourcesOfTheCertificateAndAChallengePortOnTheHttpsPort() throws Exception {
        Path pem = Files.writeString(dir.resolve("x.pem"), "");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-domain", "live.example.org", "--acme-agree-tos", "true",
                "--tls-cert", pem.toString(), "--tls-key", pem.toString()}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("two sources for one certificate");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-domain", "live.example.org", "--acme-agree-tos", "true",
                "--http-port", "8443", "--acme-http-port", "8443"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid --acme-http-port");
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-ca-trust", notPem.toString()}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid --acme-ca-trust");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--acme-check-interval", "2d"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1m to 24h");
    }
}
