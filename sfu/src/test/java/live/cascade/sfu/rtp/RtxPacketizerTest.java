package live.cascade.sfu.rtp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtxPacketizerTest {
    private static RtpHeader parse(byte[] b, int len) {
        RtpHeader h = new RtpHeader();
        assertThat(h.parse(b, 0, len)).isEqualTo(RtpStatus.OK);
        return h;
    }

    @Test
    void wrapPutsTheOriginalSequenceFirstAndUnwrapRestoresThePacket() {
        byte[] original = rtp().ssrc(0x2000).pt(102).seq(0xFFFE).ts(123_456).marker(true).csrc(7)
                .ext1(1, bytes('1')).ext1(3, bytes(0, 9)).payload(0x7C, 0x85, 1, 2, 3).build();
        RtpHeader h = parse(original, original.length);
        byte[] buf = Arrays.copyOf(original, original.length + 2);

        int n = RtxPacketizer.wrap(buf, 0, original.length, h.headerLength(), 103, 42, 0x2001);
        assertThat(n).isEqualTo(original.length + 2);
        RtpHeader rtx = parse(buf, n);
        assertThat(rtx.payloadType()).isEqualTo(103);
        assertThat(rtx.marker()).isTrue();
        assertThat(rtx.sequenceNumber()).isEqualTo(42);
        assertThat(rtx.ssrc()).isEqualTo(0x2001);
        assertThat(rtx.timestamp()).isEqualTo(123_456);
        assertThat(rtx.extensionEquals(1, bytes('1'))).isTrue();
        assertThat(RtxPacketizer.originalSequence(rtx)).isEqualTo(0xFFFE);
        assertThat(rtx.payloadLength()).isEqualTo(7);

        byte[] restored = new byte[64];
        int m = RtxPacketizer.unwrap(rtx, restored, 0, 102, 0x2000);
        assertThat(Arrays.copyOf(restored, m)).isEqualTo(original);
    }

    @Test
    void unwrapDropsPaddingAndRefusesPaddingOnlyProbes() {
        byte[] rtxWithPadding = rtp().ssrc(0x2001).pt(103).seq(5).payload(0x00, 0x10, 0xAA).padding(4).build();
        RtpHeader rtx = parse(rtxWithPadding, rtxWithPadding.length);
        byte[] out = new byte[64];
        int m = RtxPacketizer.unwrap(rtx, out, 0, 102, 0x2000);
        RtpHeader restored = parse(out, m);
        assertThat(restored.hasPadding()).isFalse();
        assertThat(restored.sequenceNumber()).isEqualTo(0x0010);
        assertThat(restored.payloadLength()).isEqualTo(1);
        assertThat(out[restored.payloadOffset()]).isEqualTo((byte) 0xAA);

        byte[] probe = rtp().ssrc(0x2001).pt(103).seq(6).payload(new byte[0]).padding(200).build();
        assertThat(RtxPacketizer.unwrap(parse(probe, probe.length), out, 0, 102, 0x2000)).isEqualTo(-1);
    }

    @Test
    void wrapKeepsPaddingValid() {
        byte[] padded = rtp().seq(9).payload(1, 2, 3).padding(3).build();
        RtpHeader h = parse(padded, padded.length);
        byte[] buf = Arrays.copyOf(padded, padded.length + 2);
        int n = RtxPacketizer.wrap(buf, 0, padded.length, h.headerLength(), 97, 1, 3);
        RtpHeader rtx = parse(buf, n);
        assertThat(rtx.paddingLength()).isEqualTo(3);
        assertThat(rtx.payloadLength()).isEqualTo(5);
    }
}
