package live.cascade.api.safety;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BusinessDaysTest {
    @Test
    void tenBusinessDaysSkipTwoWeekends() {
        // Monday 2026-12-07 → Monday 2026-12-21; Friday 12-11 → Friday 12-25; Saturday 12-12 → Friday 12-25.
        assertThat(BusinessDays.after(Instant.parse("2026-12-07T10:00:00Z"), 10)).isEqualTo(Instant.parse("2026-12-21T10:00:00Z"));
        assertThat(BusinessDays.after(Instant.parse("2026-12-11T10:00:00Z"), 10)).isEqualTo(Instant.parse("2026-12-25T10:00:00Z"));
        assertThat(BusinessDays.after(Instant.parse("2026-12-12T23:59:00Z"), 10)).isEqualTo(Instant.parse("2026-12-25T23:59:00Z"));
        assertThat(BusinessDays.after(Instant.parse("2026-12-06T01:00:00Z"), 10)).as("a Sunday").isEqualTo(Instant.parse("2026-12-18T01:00:00Z"));
    }
}
