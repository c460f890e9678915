package live.cascade.ingest.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlvTagsTest {
    /** An FLV AVC sequence header (tag body): High profile, level 3.0, 4-byte NAL lengths, one SPS and one PPS. */
    static final byte[] SEQUENCE_HEADER = HexFormat.of().parseHex(
            "1700000000" + "0164001effe1" + "0019" + "6764001eacd940a02ff9610000030001000003003c8f162d96" + "01" + "0006" + "68ebe3cb22c0");

    @Test
    void readsTheAvcSequenceHeader() {
        VideoTag tag = VideoTag.parse(SEQUENCE_HEADER);
        assertThat(tag.avc()).isTrue();
        assertThat(tag.keyframe()).isTrue();
        assertThat(tag.packetType()).isEqualTo(VideoTag.SEQUENCE_HEADER);
        AvcConfig c = AvcConfig.parse(SEQUENCE_HEADER, tag.dataOffset(), SEQUENCE_HEADER.length - tag.dataOffset());
        assertThat(c.profileLevelId()).isEqualTo("64001e");
        assertThat(c.lengthSize()).isEqualTo(4);
        assertThat(c.sps()).singleElement().satisfies(s -> assertThat(s[0] & 0x1F).isEqualTo(7));
        assertThat(c.pps()).singleElement().satisfies(s -> assertThat(s[0] & 0x1F).isEqualTo(8));
    }

    @Test
    void readsTheCompositionOffsetThatGivesBFramesAway() {
        VideoTag t = VideoTag.parse(new byte[] {0x27, 1, 0, 0, 0x43, 0, 0, 0, 1, 0x41});
        assertThat(t.keyframe()).isFalse();
        assertThat(t.cts()).isEqualTo(67);
        assertThat(VideoTag.parse(new byte[] {0x27, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xDE}).cts()).as("signed").isEqualTo(-34);
    }

    @Test
    void enhancedRtmpNamesItsFourcc() {
        byte[] hevc = {(byte) 0x91, 'h', 'v', 'c', '1', 0, 0, 0, 1};
        VideoTag t = VideoTag.parse(hevc);
        assertThat(t.codec()).isEqualTo("hvc1");
        assertThat(t.avc()).isFalse();
        assertThat(t.keyframe()).isTrue();
    }

    @Test
    void cutShortHeadersAreFlvErrorsAndRandomBytesNeverAnythingElse() {
        assertThatThrownBy(() -> AvcConfig.parse(SEQUENCE_HEADER, 5, 20)).isInstanceOf(FlvException.class);
        assertThatThrownBy(() -> VideoTag.parse(new byte[] {0x17, 1})).isInstanceOf(FlvException.class);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = Arrays.copyOf(SEQUENCE_HEADER, r.nextInt(1, SEQUENCE_HEADER.length + 1));
            for (int k = r.nextInt(4); k >= 0; k--) junk[r.nextInt(junk.length)] = (byte) r.nextInt(256);
            try {
                VideoTag t = VideoTag.parse(junk);
                if (t.avc() && t.packetType() == VideoTag.SEQUENCE_HEADER) AvcConfig.parse(junk, t.dataOffset(), junk.length - t.dataOffset());
            } catch (FlvException expected) {
                // fine
            }
        }
    }
}
