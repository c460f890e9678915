package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlowPeerPolicyTest {
    private static final long MS = 1_000_000L;

    @Test
    void aPeerWhoseQueueStaysFullPastTheLimitIsDropped() {
        SlowPeerPolicy p = new SlowPeerPolicy(2000 * MS);
        assertThat(p.onFull(0)).isFalse();
        assertThat(p.onFull(1999 * MS)).isFalse();
        assertThat(p.onFull(2001 * MS)).isTrue();
    }

    @Test
    void catchingUpInBetweenStartsTheClockAgain() {
        SlowPeerPolicy p = new SlowPeerPolicy(2000 * MS);
        assertThat(p.onFull(0)).isFalse();
        p.onWritable();
        assertThat(p.onFull(1500 * MS)).isFalse();
        assertThat(p.onFull(3000 * MS)).as("full since 1.5 s only").isFalse();
        assertThat(p.onFull(3600 * MS)).isTrue();
    }
}
