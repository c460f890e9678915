package live.cascade.sfu.receive;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GopCacheTest {
    private static final long MS = 1_000_000L;
    private final GopCache gop = new GopCache();
    private final PacketHistory history = new PacketHistory(32, 100);

    private void packet(long ext, long ts, boolean keyframe, long now) {
        byte[] p = rtp().seq((int) ext).ts(ts).build();
        history.store(ext, p, 0, p.length, now);
        gop.onPacket(ext, ts, keyframe, now);
    }

    @Test
    void aKeyframeSpanningSeveralStartPacketsBeginsAtItsFirst() {
        packet(10, 3000, true, 0);  // SPS
        packet(11, 3000, false, 0); // PPS
        packet(12, 3000, true, 0);  // IDR first slice
        packet(13, 6000, false, 0);
        assertThat(gop.canServe(history)).isTrue();
        assertThat(gop.startExt()).isEqualTo(10);
        assertThat(gop.keyframes()).isEqualTo(1);
    }

    @Test
    void resetsOnANewKeyframeAndMeasuresTheInterval() {
        packet(1, 0, true, 0);
        packet(2, 3000, false, 0);
        packet(3, 180_000, true, 2000 * MS);
        assertThat(gop.startExt()).isEqualTo(3);
        assertThat(gop.keyframeIntervalNanos()).isEqualTo(2000 * MS);
        assertThat(gop.keyframes()).isEqualTo(2);
    }

    @Test
    void aRepairedEarlierPacketOfTheSameKeyframeMovesTheStartBack() {
        packet(21, 9000, true, 0);
        packet(22, 9000, false, 0);
        packet(20, 9000, true, 0); // the SPS, lost and retransmitted
        assertThat(gop.startExt()).isEqualTo(20);
        packet(5, 100, true, 0);   // an old keyframe's start arriving late changes nothing
        assertThat(gop.startExt()).isEqualTo(20);
    }

    @Test
    void cannotServeAGroupLargerThanTheHistory() {
        packet(0, 0, true, 0);
        for (int i = 1; i < 32; i++) packet(i, i * 3000L, false, 0);
        assertThat(gop.canServe(history)).isTrue();
        packet(32, 32 * 3000L, false, 0);
        assertThat(gop.canServe(history)).as("the keyframe was evicted").isFalse();
        packet(33, 33 * 3000L, true, 0);
        assertThat(gop.canServe(history)).isTrue();
    }

    @Test
    void nothingToServeBeforeTheFirstKeyframe() {
        packet(1, 0, false, 0);
        assertThat(gop.canServe(history)).isFalse();
        assertThat(gop.keyframeIntervalNanos()).isEqualTo(-1);
    }
}
