package live.cascade.ingest.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {
    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, 1, 2, 3};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    record Packet(int seq, long ts, boolean marker, int pt, long ssrc, byte[] payload) {}

    static List<Packet> packets(RtpBatch batch) {
        List<Packet> out = new ArrayList<>();
        RtpBatch.forEach(batch.drain(), (b, off, len) -> {
            int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
            long ts = ((b[off + 4] & 0xFFL) << 24) | ((b[off + 5] & 0xFFL) << 16) | ((b[off + 6] & 0xFFL) << 8) | (b[off + 7] & 0xFFL);
            long ssrc = ((b[off + 8] & 0xFFL) << 24) | ((b[off + 9] & 0xFFL) << 16) | ((b[off + 10] & 0xFFL) << 8) | (b[off + 11] & 0xFFL);
            byte[] p = java.util.Arrays.copyOfRange(b, off + 12, off + len);
            out.add(new Packet(seq, ts, (b[off + 1] & 0x80) != 0, b[off + 1] & 0x7F, ssrc, p));
        });
        return out;
    }

    /** AVCC: each NAL unit with a 4-byte length before it, after FLV's 5-byte AVC header. */
    static byte[] avcc(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x17, 1, 0, 0, 0});
        for (byte[] n : nals) {
            out.write(n.length >>> 24); out.write(n.length >>> 16); out.write(n.length >>> 8); out.write(n.length);
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    static byte[] nal(int header, int size) {
        byte[] n = new byte[size];
        n[0] = (byte) header;
        for (int i = 1; i < size; i++) n[i] = (byte) (i * 7);
        return n;
    }

    @Test
    void aKeyframeGetsTheSequenceHeadersParameterSetsAndLargeUnitsAreCutIntoFuA() {
        H264Packetizer p = new H264Packetizer(0xABCDEF01L, 102, 65534, 1200);
        RtpBatch batch = new RtpBatch();
        byte[] idr = nal(0x65, 3000);
        int units = p.packetize(avcc(idr), 5, 4, 90_000, true, List.of(SPS, PPS), batch);
        assertThat(units).isEqualTo(3);
        List<Packet> ps = packets(batch);
        assertThat(ps.get(0).payload()).isEqualTo(SPS);
        assertThat(ps.get(1).payload()).isEqualTo(PPS);
        List<Packet> fu = ps.subList(2, ps.size());
        assertThat(fu).hasSize(3); // 2999 bytes after the NAL header, 1186 per fragment
        assertThat(ps).extracting(Packet::seq).containsExactly(65534, 65535, 0, 1, 2);
        assertThat(ps).allSatisfy(x -> {
            assertThat(x.ts()).isEqualTo(90_000);
            assertThat(x.pt()).isEqualTo(102);
            assertThat(x.ssrc()).isEqualTo(0xABCDEF01L);
            assertThat(x.payload().length + 12).isLessThanOrEqualTo(1200);
        });
        assertThat(ps).extracting(Packet::marker).containsExactly(false, false, false, false, true);
        // FU indicator keeps NRI (0x60) with type 28; the headers carry S on the first, E on the last, type 5.
        assertThat(fu).allSatisfy(x -> assertThat(x.payload()[0] & 0xFF).isEqualTo(0x60 | 28));
        assertThat(fu.get(0).payload()[1] & 0xFF).isEqualTo(0x80 | 5);
        assertThat(fu.get(1).payload()[1] & 0xFF).isEqualTo(5);
        assertThat(fu.get(2).payload()[1] & 0xFF).isEqualTo(0x40 | 5);
        // Reassembled, the fragments are the NAL unit.
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(0x65);
        for (Packet x : fu) joined.write(x.payload(), 2, x.payload().length - 2);
        assertThat(joined.toByteArray()).isEqualTo(idr);
    }

    @Test
    void inBandParameterSetsAreNotDuplicatedAndSmallUnitsTravelAlone() {
        H264Packetizer p = new H264Packetizer(1, 102, 0, 1200);
        RtpBatch batch = new RtpBatch();
        p.packetize(avcc(SPS, PPS, nal(0x65, 500)), 5, 4, 3000, true, List.of(SPS, PPS), batch);
        List<Packet> ps = packets(batch);
        assertThat(ps).hasSize(3);
        assertThat(ps.get(2).payload()).hasSize(500);
        assertThat(ps.get(2).marker()).isTrue();

        p.packetize(avcc(nal(0x41, 300), nal(0x41, 200)), 5, 4, 6000, false, List.of(SPS, PPS), batch);
        ps = packets(batch);
        assertThat(ps).extracting(Packet::marker).containsExactly(false, true);
        assertThat(ps).extracting(x -> x.payload().length).containsExactly(300, 200);
    }

    @Test
    void aLengthPastTheDataEndsTheAccessUnitWithoutThrowing() {
        H264Packetizer p = new H264Packetizer(1, 102, 0, 1200);
        RtpBatch batch = new RtpBatch();
        byte[] bad = avcc(nal(0x41, 100));
        bad[8] = 127; // the length's low byte now claims more than there is
        assertThat(p.packetize(bad, 5, 4, 0, false, List.of(), batch)).isZero();
        assertThat(batch.isEmpty()).isTrue();
    }

    /** x264's CBR padding (OBS's default rate control) is dropped; the marker moves to the last unit that is sent. */
    @Test
    void fillerDataIsLeftOutAndTheMarkerGoesOnTheLastUnitSent() {
        H264Packetizer p = new H264Packetizer(1, 102, 0, 1200);
        RtpBatch batch = new RtpBatch();
        byte[] slice = nal(0x41, 300);
        assertThat(p.packetize(avcc(slice, nal(0x0C, 5000), nal(0x0C, 40)), 5, 4, 3000, false, List.of(), batch)).isEqualTo(1);
        assertThat(packets(batch)).singleElement().satisfies(x -> {
            assertThat(x.payload()).isEqualTo(slice);
            assertThat(x.marker()).isTrue();
        });
        assertThat(p.octets()).isEqualTo(300);

        assertThat(p.packetize(avcc(nal(0x0C, 800)), 5, 4, 6000, false, List.of(), batch))
                .as("filler alone: read, nothing sent, not a broken tag").isEqualTo(H264Packetizer.FILLER_ONLY);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(p.packetize(new byte[] {0x27, 1, 0, 0, 0, 0, 0}, 5, 4, 9000, false, List.of(), batch)).as("no unit at all").isZero();
    }
}
