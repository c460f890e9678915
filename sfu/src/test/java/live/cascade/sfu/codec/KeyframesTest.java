package live.cascade.sfu.codec;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyframesTest {
    private static boolean key(PayloadFormat f, byte[] payload) {
        return Keyframes.isKeyframeStart(f, payload, 0, payload.length);
    }

    @Test
    void h264SingleNalIdrStartingAtMacroblockZeroIsAKeyframe() {
        assertThat(key(PayloadFormat.H264, bytes(0x65, 0x88, 0x84))).isTrue();  // IDR, first_mb_in_slice = 0
        assertThat(key(PayloadFormat.H264, bytes(0x65, 0x40, 0x00))).isFalse(); // IDR, a later slice
        assertThat(key(PayloadFormat.H264, bytes(0x41, 0x9A))).isFalse();       // non-IDR slice
        assertThat(key(PayloadFormat.H264, bytes(0x67, 0x42, 0xE0, 0x1F))).isTrue(); // SPS alone (OBS)
        assertThat(key(PayloadFormat.H264, bytes(0x68, 0xCE))).isFalse();       // PPS alone
        assertThat(key(PayloadFormat.H264, bytes(0x65))).isFalse();             // truncated
        assertThat(key(PayloadFormat.H264, new byte[0])).isFalse();
    }

    @Test
    void h264StapAWithSpsOrIdrIsAKeyframe() {
        byte[] spsPps = bytes(0x78, 0, 4, 0x67, 0x42, 0xE0, 0x1F, 0, 2, 0x68, 0xCE);
        assertThat(key(PayloadFormat.H264, spsPps)).isTrue();
        byte[] seiIdr = bytes(0x78, 0, 2, 0x06, 0x05, 0, 2, 0x65, 0x88);
        assertThat(key(PayloadFormat.H264, seiIdr)).isTrue();
        byte[] onlyDelta = bytes(0x78, 0, 2, 0x06, 0x05, 0, 2, 0x41, 0x9A);
        assertThat(key(PayloadFormat.H264, onlyDelta)).isFalse();
        byte[] truncated = bytes(0x78, 0, 9, 0x67, 0x42);
        assertThat(key(PayloadFormat.H264, truncated)).isFalse();
    }

    @Test
    void h264FuAOnlyItsStartFragmentOfAnIdrIsAKeyframe() {
        assertThat(key(PayloadFormat.H264, bytes(0x7C, 0x85, 0x88, 0x00))).isTrue();  // S=1, type 5
        assertThat(key(PayloadFormat.H264, bytes(0x7C, 0x05, 0x11, 0x00))).isFalse(); // middle fragment
        assertThat(key(PayloadFormat.H264, bytes(0x7C, 0x45, 0x11))).isFalse();       // end fragment
        assertThat(key(PayloadFormat.H264, bytes(0x5C, 0x81, 0x88))).isFalse();       // S=1, type 1
        assertThat(key(PayloadFormat.H264, bytes(0x7C))).isFalse();
    }

    @Test
    void vp8KeyframeIsPartitionZeroStartWithPBitClear() {
        assertThat(key(PayloadFormat.VP8, bytes(0x10, 0x00, 0x00, 0x00))).isTrue();   // S=1, PID 0, P=0
        assertThat(key(PayloadFormat.VP8, bytes(0x10, 0x01, 0x00))).isFalse();        // P=1: interframe
        assertThat(key(PayloadFormat.VP8, bytes(0x00, 0x00))).isFalse();              // not a partition start
        assertThat(key(PayloadFormat.VP8, bytes(0x11, 0x00))).isFalse();              // partition 1
        // X=1 with I (15-bit picture id), L, T: descriptor is 6 bytes, then payload header
        assertThat(key(PayloadFormat.VP8, bytes(0x90, 0xE0, 0x81, 0x23, 0x05, 0x40, 0x9C, 0x01))).isTrue();
        assertThat(key(PayloadFormat.VP8, bytes(0x90, 0xE0, 0x81, 0x23, 0x05, 0x40, 0x9D, 0x01))).isFalse();
        // X=1 with I (7-bit picture id) and an interframe
        assertThat(key(PayloadFormat.VP8, bytes(0x90, 0x80, 0x12, 0x01))).isFalse();
        // descriptor runs out before the payload header
        assertThat(key(PayloadFormat.VP8, bytes(0x90, 0xE0, 0x81))).isFalse();
    }

    @Test
    void vp9KeyframeIsAFrameStartWithoutInterPrediction() {
        assertThat(key(PayloadFormat.VP9, bytes(0x08, 0x00))).isTrue();         // B=1, P=0
        assertThat(key(PayloadFormat.VP9, bytes(0x48, 0x00))).isFalse();        // P=1
        assertThat(key(PayloadFormat.VP9, bytes(0x00, 0x00))).isFalse();        // not a frame start
        assertThat(key(PayloadFormat.VP9, bytes(0xA8, 0x85, 0x00, 0x00))).isTrue();  // I+L, SID 0
        assertThat(key(PayloadFormat.VP9, bytes(0xA8, 0x85, 0x00, 0x02))).isFalse(); // SID 1
    }

    @Test
    void av1KeyframeIsTheStartOfACodedVideoSequence() {
        assertThat(key(PayloadFormat.AV1, bytes(0x18, 0x00))).isTrue();
        assertThat(key(PayloadFormat.AV1, bytes(0x10, 0x00))).isFalse();
    }

    @Test
    void h265IrapAndParameterSetsAreKeyframes() {
        assertThat(key(PayloadFormat.H265, bytes(19 << 1, 0x01, 0x00))).isTrue();    // IDR_W_RADL
        assertThat(key(PayloadFormat.H265, bytes(1 << 1, 0x01, 0x00))).isFalse();    // TRAIL_R
        assertThat(key(PayloadFormat.H265, bytes(49 << 1, 0x01, 0x80 | 19))).isTrue(); // FU start of IDR
        assertThat(key(PayloadFormat.H265, bytes(49 << 1, 0x01, 19))).isFalse();
        assertThat(key(PayloadFormat.H265, bytes(48 << 1, 0x01, 0, 2, 32 << 1, 0x01))).isTrue(); // AP with VPS
    }

    @Test
    void audioAndUnknownVideoNeverStall() {
        assertThat(key(PayloadFormat.OPUS, bytes(0x78))).isTrue();
        assertThat(key(PayloadFormat.OTHER_VIDEO, bytes(0x00))).isTrue();
        assertThat(Keyframes.isKeyframeStart(PayloadFormat.H264, bytes(0x65), 0, 5)).isFalse(); // bad bounds
    }

    @Test
    void mapsEncodingNames() {
        assertThat(PayloadFormat.of("h264", false)).isEqualTo(PayloadFormat.H264);
        assertThat(PayloadFormat.of("opus", true)).isEqualTo(PayloadFormat.OPUS);
        assertThat(PayloadFormat.of("PCMU", true)).isEqualTo(PayloadFormat.OTHER_AUDIO);
        assertThat(PayloadFormat.of("foo", false)).isEqualTo(PayloadFormat.OTHER_VIDEO);
    }
}
