package live.cascade.api.redis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class RecentSequencesTest {
    @Test
    void eachSequenceNumberPassesOnceEvenOutOfOrder() {
        RedisChatBus.RecentSequences s = new RedisChatBus.RecentSequences();
        assertThat(s.firstTime(1)).isTrue();
        assertThat(s.firstTime(3)).isTrue();
        assertThat(s.firstTime(2)).isTrue();
        assertThat(s.firstTime(2)).isFalse();
        assertThat(s.firstTime(3)).isFalse();
        assertThat(s.firstTime(10_000)).isTrue();
        // Far behind the window: treated as already seen rather than remembered forever.
        assertThat(s.firstTime(4)).isFalse();
        assertThat(s.firstTime(9_999)).isTrue();
        assertThat(s.firstTime(9_999)).isFalse();
        // A slot reused by a newer number is free for it.
        assertThat(s.firstTime(10_000 + 4096 + 1)).isTrue();
    }
}
