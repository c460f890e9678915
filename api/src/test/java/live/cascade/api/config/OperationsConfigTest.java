package live.cascade.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The QoE beacon limit and the WHIP admission hook's settings: defaults, the three sources, and refusals that say what to write. */
class OperationsConfigTest {
    private static OperationsConfig load(String... args) {
        return ConfigLoader.load(args, Map.of()).operations();
    }

    @Test
    void defaultsAreSixtyBeaconsAMinuteAndNoHookThatWouldFailClosedInTwoSeconds() {
        assertThat(load()).isEqualTo(OperationsConfig.defaults());
    }

    @Test
    void theHookIsSetByFlagOrEnvironmentAndItsFailureModeIsNamed() {
        OperationsConfig o = load("--whip-admission-url", "https://hooks.example.org/admit?token=x", "--whip-admission-timeout", "750ms",
                "--whip-admission-failure", "open", "--qoe-beacons-per-ip", "0");
        assertThat(o.whipAdmissionUrl()).contains(URI.create("https://hooks.example.org/admit?token=x"));
        assertThat(o.whipAdmissionTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(o.whipAdmissionFailOpen()).isTrue();
        assertThat(o.qoeBeaconsPerIp()).isZero();
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_WHIP_ADMISSION_URL", "http://10.0.0.5:9000/admit")).operations()
                .whipAdmissionUrl()).contains(URI.create("http://10.0.0.5:9000/admit"));
    }

    @Test
    void badValuesStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> load("--whip-admission-url", "ftp://x/admit")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("whip-admission-url").hasMessageContaining("http://");
        assertThatThrownBy(() -> load("--whip-admission-failure", "maybe")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("closed").hasMessageContaining("open");
        assertThatThrownBy(() -> load("--whip-admission-timeout", "5m")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("whip-admission-timeout");
        assertThatThrownBy(() -> load("--qoe-beacons-per-ip", "-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("qoe-beacons-per-ip");
    }
}
