package live.cascade.sfu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SPS NAL units as libx264 (FFmpeg 8.1) wrote them; the ones whose height is not a multiple of 16 are cropped. */
class SpsParserTest {
    static final byte[] SPS_1280x720_BASELINE = hex("6742c01fd9005005bb0110000003001000000303c0f1832480");
    static final byte[] SPS_640x360_BASELINE = hex("6742c01ed900a02ff970110000030001000003003c0f162e48");
    static final byte[] SPS_640x360_HIGH = hex("6764001eacd940a02ff970110000030001000003003c0f162d96");
    static final byte[] SPS_1280x720_HIGH = hex("6764001facd9405005bb0110000003001000000303c0f1831960");
    static final byte[] SPS_1920x1080_HIGH = hex("67640028acd940780227e5c044000003000400000300f03c60c658");

    private final SpsParser sps = new SpsParser();

    private static byte[] hex(String s) { return HexFormat.of().parseHex(s); }

    private void assertSize(byte[] nal, int width, int height, int profile) {
        assertThat(sps.parse(nal, 0, nal.length)).isTrue();
        assertThat(sps.width()).isEqualTo(width);
        assertThat(sps.height()).isEqualTo(height);
        assertThat(sps.profileIdc()).isEqualTo(profile);
    }

    @Test
    void readsBaselineSizes() {
        assertSize(SPS_1280x720_BASELINE, 1280, 720, 66);
        assertSize(SPS_640x360_BASELINE, 640, 360, 66);
    }

    @Test
    void readsHighProfileSizesThroughTheChromaFields() {
        assertSize(SPS_640x360_HIGH, 640, 360, 100);
        assertSize(SPS_1280x720_HIGH, 1280, 720, 100);
        assertSize(SPS_1920x1080_HIGH, 1920, 1080, 100);
        assertThat(sps.chromaFormatIdc()).isEqualTo(1);
    }

    @Test
    void refusesOtherNalUnitsAndTruncatedSps() {
        byte[] pps = hex("68ce3c80");
        assertThat(sps.parse(pps, 0, pps.length)).isFalse();
        assertThat(sps.parse(SPS_1280x720_HIGH, 0, 8)).isFalse();
        assertThat(sps.parse(SPS_1280x720_HIGH, 0, 3)).isFalse();
    }

    @Test
    void randomBytesNeverThrow() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int k = 0; k < b.length; k++) b[k] = (byte) r.nextInt(256);
            if (b.length > 0) b[0] = 0x67;
            sps.parse(b, 0, b.length);
        }
    }

    @Test
    void detectorFindsTheSizeInRtpPayloadsOfEachShape() {
        ResolutionDetector d = new ResolutionDetector();
        byte[] sps = SPS_640x360_HIGH;
        assertThat(d.detect(PayloadFormat.H264, sps, 0, sps.length)).isEqualTo(640 << 16 | 360);

        byte[] pps = hex("68ebe3cb22c0");
        byte[] stapA = new byte[1 + 2 + sps.length + 2 + pps.length];
        stapA[0] = 24;
        stapA[1] = 0;
        stapA[2] = (byte) sps.length;
        System.arraycopy(sps, 0, stapA, 3, sps.length);
        stapA[3 + sps.length] = 0;
        stapA[4 + sps.length] = (byte) pps.length;
        System.arraycopy(pps, 0, stapA, 5 + sps.length, pps.length);
        int packed = d.detect(PayloadFormat.H264, stapA, 0, stapA.length);
        assertThat(ResolutionDetector.width(packed)).isEqualTo(640);
        assertThat(ResolutionDetector.height(packed)).isEqualTo(360);

        byte[] idrSlice = hex("65888400ff");
        assertThat(d.detect(PayloadFormat.H264, idrSlice, 0, idrSlice.length)).isZero();

        // VP8 keyframe from libvpx (320x180): descriptor S=1 PID=0, then frame tag, start code, sizes
        byte[] vp8 = hex("10" + "3051009d012a4001b400004708");
        assertThat(d.detect(PayloadFormat.VP8, vp8, 0, vp8.length)).isEqualTo(320 << 16 | 180);
        byte[] vp8WithPictureId = hex("90" + "80" + "8123" + "3051009d012a4001b4000047");
        assertThat(d.detect(PayloadFormat.VP8, vp8WithPictureId, 0, vp8WithPictureId.length)).isEqualTo(320 << 16 | 180);
        byte[] vp8Inter = hex("10" + "3151009d012a4001b400004708");
        assertThat(d.detect(PayloadFormat.VP8, vp8Inter, 0, vp8Inter.length)).isZero();

        // VP9 with a scalability structure: I, B, V; picture id 15 bits; two spatial layers with sizes
        byte[] vp9 = hex("8a" + "8001" + "30" + "014000b4" + "02800168");
        assertThat(d.detect(PayloadFormat.VP9, vp9, 0, vp9.length)).isEqualTo(640 << 16 | 360);

        assertThat(d.detect(PayloadFormat.OPUS, vp8, 0, vp8.length)).isZero();
    }
}
