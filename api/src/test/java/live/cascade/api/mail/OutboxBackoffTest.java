package live.cascade.api.mail;

import live.cascade.db.QueuedMail;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxBackoffTest {
    private static OutboxSender sender(Duration max) {
        MailTransport never = (QueuedMail m) -> new SendResult.Retry("not used");
        return new OutboxSender(null, never, Clock.systemUTC(), max);
    }

    @Test
    void waitsDoubleFromFiveSecondsUpToTheMaximum() {
        OutboxSender s = sender(Duration.ofMinutes(10));
        assertThat(s.backoff(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(s.backoff(7)).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.backoff(1000)).as("no overflow after many attempts").isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aMaximumBelowFiveSecondsIsAlsoTheFirstWait() {
        assertThat(sender(Duration.ofSeconds(1)).backoff(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(sender(Duration.ofSeconds(1)).backoff(3)).isEqualTo(Duration.ofSeconds(1));
    }
}
