package live.cascade.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --hls-part}: the low-latency HLS part target, 200-500 ms, or off. */
class HlsPartSettingTest {
    @Test
    void lowLatencyHlsIsOnWithAThirdOfASecondByDefault() {
        MediaOutputConfig out = ConfigLoader.load(new String[0], Map.of()).mediaOutput();
        assertThat(out.partTarget()).isEqualTo(Duration.ofMillis(333));
        assertThat(out.lowLatencyEnabled()).isTrue();
    }

    @Test
    void thePartTargetIsSetByFlagOrEnvironmentAndOffTurnsItOff() {
        assertThat(ConfigLoader.load(new String[]{"--hls-part", "500ms"}, Map.of()).mediaOutput().partTarget()).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_HLS_PART", "200ms")).mediaOutput().partTarget()).isEqualTo(Duration.ofMillis(200));
        assertThat(ConfigLoader.load(new String[]{"--hls-part", "off"}, Map.of()).mediaOutput().lowLatencyEnabled()).isFalse();
        assertThat(ConfigLoader.load(new String[]{"--hls-ladder", "off"}, Map.of()).mediaOutput().lowLatencyEnabled()).as("no HLS, no parts").isFalse();
    }

    @Test
    void aPartTargetOutsideTheRangeIsRefusedWithTheRange() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hls-part", "100ms"}, Map.of())).hasMessageContaining("--hls-part")
                .hasMessageContaining("200ms to 500ms");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hls-part", "1s"}, Map.of())).hasMessageContaining("200ms to 500ms");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hls-part", "fast"}, Map.of())).hasMessageContaining("duration");
    }
}
