package live.cascade.hls.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import live.cascade.hls.media.StreamFormat;
import org.junit.jupiter.api.Test;

/**
 * The {@code CODECS} string of an HEVC rendition (ISO/IEC 14496-15 Annex E), read from the SPS's profile_tier_level in
 * Annex B extradata, through the emulation prevention bytes the zeros of the constraint flags bring.
 */
class HevcCodecStringTest {
    /** VPS (skipped), then an SPS whose payload starts with {@code raw} (ids byte, profile_tier_level, ...). */
    static byte[] extradata(int... raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, 0, 1, 0x40, 0x01, 0x0C, 0x01, 0, 0, 0, 1, 0x42, 0x01});
        int zeros = 0;
        for (int v : raw) {
            if (zeros >= 2 && v <= 3) {
                b.write(3);
                zeros = 0;
            }
            b.write(v);
            zeros = v == 0 ? zeros + 1 : 0;
        }
        return b.toByteArray();
    }

    @Test
    void mainProfileLevel31() {
        byte[] e = extradata(0x01, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93, 0xA0, 0x05);
        assertThat(e.length).as("escaped: longer than raw").isGreaterThan(14 + 15);
        assertThat(StreamFormat.hevcCodecString(e)).isEqualTo("hvc1.1.6.L93.90");
    }

    @Test
    void main10HighTierLevel5() {
        byte[] e = extradata(0x01, 0x22, 0x20, 0, 0, 0, 0xB0, 0, 0, 0, 0, 0, 150, 0xA0, 0x05);
        assertThat(StreamFormat.hevcCodecString(e)).isEqualTo("hvc1.2.4.H150.B0");
    }

    @Test
    void withoutAnSpsTheCommonMainStringStands() {
        assertThat(StreamFormat.hevcCodecString(new byte[] {0, 0, 0, 1, 0x40, 0x01})).isEqualTo("hvc1.1.6.L93.B0");
        assertThat(StreamFormat.hevcCodecString(new byte[] {0, 0, 0, 1, 0x42, 0x01, 0x01})).as("an SPS cut short").isEqualTo("hvc1.1.6.L93.B0");
    }
}
