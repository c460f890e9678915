package live.cascade.hls.rtp;

import live.cascade.hls.RtpPacketizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Vp8DepacketizerTest {
    private final List<EncodedFrame> frames = new ArrayList<>();
    private final Vp8Depacketizer d = new Vp8Depacketizer();

    Vp8DepacketizerTest() { d.setOutput(frames::add); }

    static byte[] keyFrame(int size, int w, int h) {
        byte[] f = new byte[size];
        f[0] = 0x10; // P=0: key frame
        f[3] = (byte) 0x9d;
        f[4] = 0x01;
        f[5] = 0x2a;
        f[6] = (byte) w;
        f[7] = (byte) (w >>> 8);
        f[8] = (byte) h;
        f[9] = (byte) (h >>> 8);
        for (int i = 10; i < size; i++) f[i] = (byte) i;
        return f;
    }

    @Test
    void joinsAFrameSpreadOverPackets() {
        byte[] frame = keyFrame(3000, 640, 360);
        for (byte[] p : new RtpPacketizer(96, 1, 0, 0).vp8(frame, 0)) d.onPayload(p, 12, p.length - 12, 0, (p[1] & 0x80) != 0, 0);
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst().data()).isEqualTo(frame);
        assertThat(frames.getFirst().keyframe()).isTrue();
        assertThat(Vp8Depacketizer.keyFrameSize(frame)).containsExactly(640, 360);
    }

    @Test
    void extendedDescriptorsAreStripped() {
        // X=1, S=1; I=1 with a 15-bit picture id, L=1, T=1.
        byte[] payload = {(byte) 0x90, (byte) 0xE0, (byte) 0x80, 0x01, 0x05, 0x20, 0x01, 0x02, 0x03};
        d.onPayload(payload, 0, payload.length, 0, true, 0);
        assertThat(frames.getFirst().data()).containsExactly(0x01, 0x02, 0x03);
        assertThat(frames.getFirst().keyframe()).isFalse(); // P=1
    }

    @Test
    void aLostPacketDropsTheFrameAndAMissingStartIsIgnored() {
        List<byte[]> packets = new RtpPacketizer(96, 1, 0, 0).vp8(keyFrame(3000, 16, 16), 0);
        d.onPayload(packets.get(0), 12, packets.get(0).length - 12, 0, false, 0);
        d.onLoss();
        d.onPayload(packets.get(2), 12, packets.get(2).length - 12, 0, true, 0);
        assertThat(frames).isEmpty();
        d.onPayload(packets.get(1), 12, packets.get(1).length - 12, 3000, true, 0); // not a start: ignored
        assertThat(frames).isEmpty();
    }

    @Test
    void randomPayloadsNeverThrow() {
        Random rnd = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[rnd.nextInt(30)];
            rnd.nextBytes(b);
            d.onPayload(b, 0, b.length, rnd.nextInt(4), rnd.nextBoolean(), 0);
        }
        d.flush();
    }
}
