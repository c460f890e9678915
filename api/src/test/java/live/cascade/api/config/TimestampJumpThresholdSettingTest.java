package live.cascade.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --timestamp-jump-threshold}: when a step in media timestamps is a clock jump, 100 ms to 1 min. */
class TimestampJumpThresholdSettingTest {
    @Test
    void aSecondByDefaultAndSettableByFlagOrEnvironment() {
        assertThat(ConfigLoader.load(new String[0], Map.of()).mediaOutput().timestampJumpThreshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ConfigLoader.load(new String[]{"--timestamp-jump-threshold", "500ms"}, Map.of()).mediaOutput().timestampJumpThreshold())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_TIMESTAMP_JUMP_THRESHOLD", "3s")).mediaOutput().timestampJumpThreshold())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void valuesOutsideTheRangeAreRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--timestamp-jump-threshold", "20ms"}, Map.of()))
                .hasMessageContaining("--timestamp-jump-threshold").hasMessageContaining("at least");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--timestamp-jump-threshold", "2m"}, Map.of()))
                .hasMessageContaining("100ms to 1m");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--timestamp-jump-threshold", "soon"}, Map.of()))
                .hasMessageContaining("duration");
    }
}
