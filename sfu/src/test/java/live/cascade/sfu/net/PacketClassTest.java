package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketClassTest {
    @Test
    void firstByteRangesFollowRfc7983() {
        for (int b = 0; b < 256; b++) {
            PacketClass expected = b <= 3 ? PacketClass.STUN
                    : b >= 20 && b <= 63 ? PacketClass.DTLS
                    : b >= 128 && b <= 191 ? PacketClass.RTP_RTCP
                    : PacketClass.OTHER;
            assertThat(PacketClass.of(b)).as("first byte %d", b).isEqualTo(expected);
        }
    }

    @Test
    void rtcpIsPayloadType192To223PerRfc5761() {
        assertThat(PacketClass.isRtcp(191)).isFalse();
        assertThat(PacketClass.isRtcp(192)).isTrue();
        assertThat(PacketClass.isRtcp(200)).isTrue();
        assertThat(PacketClass.isRtcp(223)).isTrue();
        assertThat(PacketClass.isRtcp(224)).isFalse();
        assertThat(PacketClass.isRtcp(96)).as("RTP, no marker").isFalse();
        assertThat(PacketClass.isRtcp(96 | 0x80)).as("RTP, marker set").isFalse();
    }
}
