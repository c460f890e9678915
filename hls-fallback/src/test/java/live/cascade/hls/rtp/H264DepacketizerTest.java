package live.cascade.hls.rtp;

import live.cascade.hls.RtpPacketizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class H264DepacketizerTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1f, 1, 2, 3};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};

    private final List<EncodedFrame> frames = new ArrayList<>();
    private final H264Depacketizer d = new H264Depacketizer();

    H264DepacketizerTest() { d.setOutput(frames::add); }

    private static byte[] nal(int header, int size, int fill) {
        byte[] n = new byte[size];
        n[0] = (byte) header;
        if (size > 1) n[1] = (byte) 0x88; // first_mb_in_slice = 0
        for (int i = 2; i < size; i++) n[i] = (byte) fill;
        return n;
    }

    private static byte[] annexB(byte[]... nals) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] n : nals) {
            b.writeBytes(new byte[]{0, 0, 0, 1});
            b.writeBytes(n);
        }
        return b.toByteArray();
    }

    private void feed(List<byte[]> packets, long ts) {
        for (byte[] p : packets) d.onPayload(p, 12, p.length - 12, ts, (p[1] & 0x80) != 0, 0);
    }

    @Test
    void stapAParameterSetsAndAFragmentedIdrMakeOneKeyframe() {
        RtpPacketizer r = new RtpPacketizer(102, 1, 0, 0);
        byte[] idr = nal(0x65, 5000, 7);
        feed(r.h264(annexB(idr), 0, new byte[][]{SPS, PPS}, false), 0);
        assertThat(frames).hasSize(1);
        EncodedFrame f = frames.getFirst();
        assertThat(f.keyframe()).isTrue();
        assertThat(f.data()).isEqualTo(annexB(SPS, PPS, idr));
    }

    @Test
    void obsStyleSeparateParameterSetsAndMultiSliceIdr() {
        RtpPacketizer r = new RtpPacketizer(102, 1, 0, 0);
        byte[] slice1 = nal(0x65, 3000, 1);
        byte[] slice2 = nal(0x65, 3000, 2);
        slice2[1] = 0x40; // first_mb_in_slice != 0
        feed(r.h264(annexB(slice1, slice2), 3000, new byte[][]{SPS, PPS}, true), 3000);
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst().keyframe()).isTrue();
        assertThat(frames.getFirst().data()).isEqualTo(annexB(SPS, PPS, slice1, slice2));
        feed(r.h264(annexB(nal(0x41, 900, 3)), 6000, null, false), 6000);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1).keyframe()).isFalse();
    }

    @Test
    void anIdrWithoutParameterSetsGetsTheRememberedOnes() {
        RtpPacketizer r = new RtpPacketizer(102, 1, 0, 0);
        feed(r.h264(annexB(nal(0x65, 100, 1)), 0, new byte[][]{SPS, PPS}, false), 0);
        byte[] idr = nal(0x65, 100, 2);
        feed(r.h264(annexB(idr), 3000, null, false), 3000);
        assertThat(frames.get(1).data()).isEqualTo(annexB(SPS, PPS, idr));
        assertThat(frames.get(1).keyframe()).isTrue();
    }

    @Test
    void anIdrBeforeAnyParameterSetsIsNotAKeyframe() {
        RtpPacketizer r = new RtpPacketizer(102, 1, 0, 0);
        feed(r.h264(annexB(nal(0x65, 100, 1)), 0, null, false), 0);
        assertThat(frames.getFirst().keyframe()).isFalse();
    }

    @Test
    void aLostFragmentDropsTheWholeFrame() {
        RtpPacketizer r = new RtpPacketizer(102, 1, 0, 0);
        List<byte[]> packets = r.h264(annexB(nal(0x41, 4000, 1)), 0, null, false);
        assertThat(packets).hasSizeGreaterThan(2);
        packets.remove(1);
        byte[] first = packets.getFirst();
        d.onPayload(first, 12, first.length - 12, 0, false, 0);
        d.onLoss();
        for (byte[] p : packets.subList(1, packets.size())) d.onPayload(p, 12, p.length - 12, 0, (p[1] & 0x80) != 0, 0);
        assertThat(frames).isEmpty();
        assertThat(d.droppedFrames()).isEqualTo(1);
        feed(r.h264(annexB(nal(0x41, 500, 2)), 3000, null, false), 3000);
        assertThat(frames).hasSize(1);
    }

    @Test
    void aMissingMarkerEndsTheFrameAtTheNextTimestamp() {
        d.onPayload(new byte[]{0x41, (byte) 0x88, 1}, 0, 3, 0, false, 0);
        d.onPayload(new byte[]{0x41, (byte) 0x88, 2}, 0, 3, 3000, true, 0);
        assertThat(frames).hasSize(2);
    }

    @Test
    void parameterSetsAloneAreNotAFrame() {
        d.onPayload(SPS, 0, SPS.length, 0, false, 0);
        d.onPayload(PPS, 0, PPS.length, 0, true, 0);
        assertThat(frames).isEmpty();
        assertThat(d.sps()).isEqualTo(SPS);
        assertThat(d.pps()).isEqualTo(PPS);
    }

    @Test
    void randomPayloadsNeverThrow() {
        Random rnd = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[rnd.nextInt(60)];
            rnd.nextBytes(b);
            d.onPayload(b, 0, b.length, rnd.nextInt(5), rnd.nextBoolean(), 0);
            if (rnd.nextInt(50) == 0) d.onLoss();
        }
        d.flush();
    }
}
