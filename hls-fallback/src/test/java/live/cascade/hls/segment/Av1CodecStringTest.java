package live.cascade.hls.segment;

import static org.assertj.core.api.Assertions.assertThat;

import live.cascade.hls.media.StreamFormat;
import org.junit.jupiter.api.Test;

/** The {@code CODECS} string of an AV1 rendition, read from its AV1CodecConfigurationRecord (av1C). */
class Av1CodecStringTest {
    @Test
    void mainProfileLevel30EightBit() {
        byte[] av1c = {(byte) 0x81, 0x04, 0x0C, 0x00, 0x0A, 0x01, 0x00};
        assertThat(StreamFormat.av1CodecString(av1c)).isEqualTo("av01.0.04M.08");
    }

    @Test
    void highTierTenBitAndProfessionalTwelveBit() {
        assertThat(StreamFormat.av1CodecString(new byte[] {(byte) 0x81, 0x0D, (byte) 0xC0, 0})).isEqualTo("av01.0.13H.10");
        assertThat(StreamFormat.av1CodecString(new byte[] {(byte) 0x81, (byte) (2 << 5 | 8), 0x60, 0})).isEqualTo("av01.2.08M.12");
    }

    @Test
    void withoutARecordTheCommonMainStringStands() {
        assertThat(StreamFormat.av1CodecString(new byte[0])).isEqualTo("av01.0.04M.08");
        assertThat(StreamFormat.av1CodecString(new byte[] {0x0A, 0x0B, 0, 0})).as("bare OBUs, not a record").isEqualTo("av01.0.04M.08");
    }
}
