package live.cascade.ingest.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Enhanced RTMP's HEVC sequence header (an HEVCDecoderConfigurationRecord) and frames: profile, tier and level for the
 * studio, the parameter sets as Annex B, length-prefixed frames to Annex B (in place for 4-byte lengths), and
 * malformed input refused, never thrown past the parser's own exception.
 */
class HevcConfigTest {
    static final byte[] VPS = {0x40, 0x01, 0x0C, 0x01, (byte) 0xFF, (byte) 0xFF};
    static final byte[] SPS = {0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x00};
    static final byte[] PPS = {0x44, 0x01, (byte) 0xC1, 0x72};

    /** A record as FFmpeg's FLV muxer writes it: Main, main tier, level 3.1 (93), 4-byte lengths, VPS, SPS, PPS arrays. */
    static byte[] record(int lengthSizeMinusOne, byte[]... units) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(1);
        b.write(0x01);                                  // profile space 0, main tier, profile 1 (Main)
        b.writeBytes(new byte[] {0x60, 0, 0, 0});       // compatibility flags
        b.writeBytes(new byte[] {(byte) 0x90, 0, 0, 0, 0, 0});
        b.write(93);                                    // level 3.1
        b.writeBytes(new byte[] {(byte) 0xF0, 0, (byte) 0xFC, (byte) 0xFD, (byte) 0xF8, (byte) 0xF8, 0, 0});
        b.write(0x0C | lengthSizeMinusOne);
        b.write(units.length);
        for (byte[] u : units) {
            b.write(0x80 | ((u[0] >> 1) & 0x3F));       // array_completeness, NAL unit type
            b.writeBytes(new byte[] {0, 1, 0, (byte) u.length});
            b.writeBytes(u);
        }
        return b.toByteArray();
    }

    @Test
    void theRecordGivesProfileLevelAndAnnexBParameterSets() {
        byte[] r = record(3, VPS, SPS, PPS);
        HevcConfig c = HevcConfig.parse(r, 0, r.length);
        assertThat(c.profile()).isEqualTo(1);
        assertThat(c.highTier()).isFalse();
        assertThat(c.level()).isEqualTo(93);
        assertThat(c.lengthSize()).isEqualTo(4);
        assertThat(c.describe()).isEqualTo("HEVC Main, level 3.1");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] u : new byte[][] {VPS, SPS, PPS}) {
            expected.writeBytes(new byte[] {0, 0, 0, 1});
            expected.writeBytes(u);
        }
        assertThat(c.annexB()).containsExactly(expected.toByteArray());
        assertThat(new HevcConfig(2, true, 120, 4, new byte[0]).describe()).isEqualTo("HEVC Main 10, high tier, level 4");
    }

    @Test
    void fourByteLengthsBecomeStartCodesInPlace() {
        byte[] r = record(3, VPS, SPS, PPS);
        HevcConfig c = HevcConfig.parse(r, 0, r.length);
        byte[] frame = {9, 9, 9, 0, 0, 0, 3, 0x26, 0x01, 0x55, 0, 0, 0, 2, 0x02, 0x01};
        byte[] out = c.toAnnexB(frame, 3);
        assertThat(out).isSameAs(frame);
        assertThat(frame).containsExactly(9, 9, 9, 0, 0, 0, 1, 0x26, 0x01, 0x55, 0, 0, 0, 1, 0x02, 0x01);
        assertThat(c.toAnnexB(new byte[] {9, 0, 0, 0, 9, 1}, 1)).as("a length past the end").isNull();
        assertThat(c.toAnnexB(new byte[] {9}, 1)).as("no NAL unit at all").isNull();
    }

    @Test
    void twoByteLengthsAreCopied() {
        byte[] r = record(1, VPS, SPS, PPS);
        HevcConfig c = HevcConfig.parse(r, 0, r.length);
        assertThat(c.lengthSize()).isEqualTo(2);
        byte[] frame = {7, 0, 2, 0x26, 0x01};
        assertThat(c.toAnnexB(frame, 1)).containsExactly(0, 0, 0, 1, 0x26, 0x01);
    }

    @Test
    void incompleteRecordsAreRefused() {
        byte[] noPps = record(3, VPS, SPS);
        assertThatThrownBy(() -> HevcConfig.parse(noPps, 0, noPps.length)).isInstanceOf(FlvException.class).hasMessageContaining("PPS");
        byte[] r = record(3, VPS, SPS, PPS);
        assertThatThrownBy(() -> HevcConfig.parse(r, 0, r.length - 2)).isInstanceOf(FlvException.class);
        assertThatThrownBy(() -> HevcConfig.parse(r, 0, 10)).isInstanceOf(FlvException.class);
        byte[] threeByteLengths = record(2, VPS, SPS, PPS);
        assertThatThrownBy(() -> HevcConfig.parse(threeByteLengths, 0, threeByteLengths.length)).isInstanceOf(FlvException.class);
    }

    @Test
    void randomInputNeverThrowsAnythingElse() {
        Random random = new Random(23);
        byte[] good = record(3, VPS, SPS, PPS);
        HevcConfig c = HevcConfig.parse(good, 0, good.length);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = good.clone();
            for (int k = random.nextInt(6); k >= 0; k--) d[random.nextInt(d.length)] = (byte) random.nextInt(256);
            int len = random.nextInt(d.length + 1);
            try {
                HevcConfig.parse(d, 0, len);
            } catch (FlvException expected) {
                // refused: fine
            }
            byte[] frame = new byte[random.nextInt(40)];
            random.nextBytes(frame);
            c.toAnnexB(frame, frame.length == 0 ? 0 : random.nextInt(frame.length));
        }
    }
}
