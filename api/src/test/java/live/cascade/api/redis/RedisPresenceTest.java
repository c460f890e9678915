package live.cascade.api.redis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class RedisPresenceTest {
    @Test
    void onlyEntriesThatHaveNotExpiredCount() {
        long now = 1_000_000;
        assertThat(RedisPresence.sum(Map.of("a", "3:" + (now + 1), "b", "4:" + (now + 5000), "dead", "100:" + now,
                "junk", "x", "garbage", "1:y"), now)).isEqualTo(7);
        assertThat(RedisPresence.sum(Map.of(), now)).isZero();
    }
}
