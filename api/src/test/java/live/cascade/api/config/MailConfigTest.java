package live.cascade.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailConfigTest {

    @Test
    void mailIsOffUntilAnSmtpHostIsSet() {
        MailConfig m = ConfigLoader.load(new String[0], Map.of()).mail();
        assertThat(m.enabled()).isFalse();
        assertThat(m.tls()).isEqualTo(MailConfig.SmtpTls.STARTTLS);
        assertThat(m.liveNoticeInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(m.retryMaxBackoff()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void thePortFollowsTheTlsModeUnlessGiven() {
        MailConfig starttls = ConfigLoader.load(new String[]{"--smtp-host", "mail.example.org", "--mail-from", "a@example.org"}, Map.of()).mail();
        assertThat(starttls.enabled()).isTrue();
        assertThat(starttls.smtpPort()).isEqualTo(587);
        MailConfig tls = ConfigLoader.load(new String[]{"--smtp-host", "mail.example.org", "--mail-from", "a@example.org",
                "--smtp-tls", "TLS"}, Map.of()).mail();
        assertThat(tls.tls()).isEqualTo(MailConfig.SmtpTls.TLS);
        assertThat(tls.smtpPort()).isEqualTo(465);
        MailConfig given = ConfigLoader.load(new String[]{"--smtp-host", "mail.example.org", "--mail-from", "Site <a@example.org>",
                "--smtp-tls", "none", "--smtp-port", "2525", "--smtp-user", "u", "--smtp-password", "secret-pw"},
                Map.of("CASCADE_LIVE_NOTICE_INTERVAL", "0s")).mail();
        assertThat(given.smtpPort()).isEqualTo(2525);
        assertThat(given.user()).contains("u");
        assertThat(given.liveNoticeInterval()).isZero();
        assertThat(given.toString()).doesNotContain("secret-pw");
    }

    @Test
    void anSmtpHostWithoutAFromAddressOrWithBadValuesStopsTheStartSayingWhy() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--smtp-host", "mail.example.org"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--mail-from is required when --smtp-host");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--smtp-tls", "ssl"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--smtp-tls").hasMessageContaining("none, starttls or tls");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--mail-from", "not an address"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--mail-from");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--mail-retry-max-backoff", "7h"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--mail-retry-max-backoff");
    }

    @Test
    void theBareAddressIsReadFromANamedOne() {
        assertThat(MailConfig.parseAddress("Cascade Live <noreply@live.example.org>")).isEqualTo("noreply@live.example.org");
        assertThat(MailConfig.parseAddress("noreply@example.org")).isEqualTo("noreply@example.org");
        assertThatThrownBy(() -> MailConfig.parseAddress("noreply")).isInstanceOf(IllegalArgumentException.class);
    }
}
