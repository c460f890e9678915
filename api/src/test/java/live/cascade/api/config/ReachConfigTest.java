package live.cascade.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReachConfigTest {
    private static ReachConfig load(String... args) {
        return ConfigLoader.load(args, Map.of()).reach();
    }

    @Test
    void defaultsAreIceTcpOn10000AndNoTurnWithFiveMinuteCredentials() {
        ReachConfig r = load();
        assertThat(r.iceTcp()).isTrue();
        assertThat(r.iceTcpPort()).isEqualTo(10000);
        assertThat(r.turn()).isFalse();
        assertThat(r.turnCredentialTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void iceTcpCanBeTurnedOffOrMovedFromTheEnvironment() {
        assertThat(load("--ice-tcp-port", "off").iceTcp()).isFalse();
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_ICE_TCP_PORT", "443")).reach().iceTcpPort()).isEqualTo(443);
        assertThatThrownBy(() -> load("--ice-tcp-port", "tcp")).isInstanceOf(ConfigException.class).hasMessageContaining("ice-tcp-port");
    }

    @Test
    void turnUrlsNeedASecretAndAreHandedOutWithIt() {
        assertThatThrownBy(() -> load("--turn-urls", "turn:t.example.org:3478")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("turn-secret");
        ReachConfig r = load("--turn-urls", "turn:t.example.org:3478?transport=udp, turns:t.example.org:443?transport=tcp",
                "--turn-secret", "0123456789abcdef", "--turn-credential-ttl", "2m");
        assertThat(r.turn()).isTrue();
        assertThat(r.turnUrls()).containsExactly("turn:t.example.org:3478?transport=udp", "turns:t.example.org:443?transport=tcp");
        assertThat(r.turnCredentialTtl()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void staticTurnCredentialsHaveNoWayToAClient() {
        assertThatThrownBy(() -> load("--ice-servers", "turn:t.example.org:3478")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("turn-urls");
        assertThatThrownBy(() -> load("--turn-urls", "stun:t.example.org:3478", "--turn-secret", "0123456789abcdef"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> load("--turn-urls", "turn:t.example.org", "--turn-secret", "short")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("16 characters");
        assertThatThrownBy(() -> load("--turn-credential-ttl", "2d")).isInstanceOf(ConfigException.class);
        assertThat(List.of(Setting.values())).extracting(Setting::flag).doesNotContain("--turn-username", "--turn-credential");
        assertThatThrownBy(() -> load("--turn-username", "u1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("turn-username is gone").hasMessageContaining("--turn-secret");
    }
}
