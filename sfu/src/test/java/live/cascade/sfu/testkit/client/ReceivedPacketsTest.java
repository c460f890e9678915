package live.cascade.sfu.testkit.client;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.testkit.RtcpPackets;
import org.junit.jupiter.api.Test;

/** The client's own RTP and RTCP readers, against packets from the kit's builders. */
class ReceivedPacketsTest {
    @Test
    void rtpHeaderFieldsExtensionsAndPaddingAreReadBack() {
        byte[] oneByte = rtp().ssrc(0xDEADBEEFL).seq(65535).ts(0xFFFF_FFF0L).pt(102).marker(true).csrc(7).csrc(8)
                .ext1(4, bytes('1')).ext1(3, bytes(0, 9)).payload(1, 2, 3).padding(3).build();

        ReceivedRtp p = ReceivedRtp.parse(oneByte, 42);

        assertThat(p.ssrc()).isEqualTo(0xDEADBEEFL);
        assertThat(p.seq()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0xFFFF_FFF0L);
        assertThat(p.payloadType()).isEqualTo(102);
        assertThat(p.marker()).isTrue();
        assertThat(p.extensions()).containsOnlyKeys(4, 3);
        assertThat(p.extensions().get(4)).containsExactly('1');
        assertThat(p.extensions().get(3)).containsExactly(0, 9);
        assertThat(p.payload()).containsExactly(1, 2, 3);
        assertThat(p.arrivalNanos()).isEqualTo(42);

        byte[] twoByte = rtp().ext2(20, bytes(1, 2, 3, 4, 5)).ext2(21).payload(9).build();
        ReceivedRtp q = ReceivedRtp.parse(twoByte, 0);
        assertThat(q.extensions().get(20)).containsExactly(1, 2, 3, 4, 5);
        assertThat(q.extensions().get(21)).isEmpty();
        assertThat(q.payload()).containsExactly(9);
    }

    @Test
    void somethingThatIsNotRtpIsRefused() {
        assertThatThrownBy(() -> ReceivedRtp.parse(new byte[] {(byte) 0x80, 96, 0}, 0)).isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = rtp().ext1(1, bytes(1, 2, 3, 4)).payload().build();
        assertThatThrownBy(() -> ReceivedRtp.parse(Arrays.copyOf(truncated, 16), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCompoundPacketSplitsIntoItsReports() {
        byte[] compound = RtcpPackets.compound(
                RtcpPackets.senderReport(0x10, 0x1122334455667788L, 90_000, 12, 3400),
                RtcpPackets.receiverReport(0x10),
                RtcpPackets.nack(0x10, 0x20, 5, 6, 21, 22),
                RtcpPackets.pli(0x10, 0x30));

        List<ReceivedRtcp> parsed = ReceivedRtcp.parse(compound);

        assertThat(parsed).containsExactly(
                new ReceivedRtcp.SenderReport(0x10, 0x1122334455667788L, 90_000, 12, 3400),
                new ReceivedRtcp.Other(201, 1),
                new ReceivedRtcp.Nack(0x10, 0x20, List.of(5, 6, 21, 22)),
                new ReceivedRtcp.Pli(0x10, 0x30));
    }
}
