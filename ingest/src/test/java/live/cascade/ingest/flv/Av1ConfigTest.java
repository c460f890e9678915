package live.cascade.ingest.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Enhanced RTMP's AV1 sequence header (an AV1CodecConfigurationRecord) and frames: profile, level, tier and bit depth
 * for the studio, the sequence header OBU found in the record, keyframes given one when they lack it (after a leading
 * temporal delimiter), and malformed OBUs refused, never thrown.
 */
class Av1ConfigTest {
    /** A sequence header OBU (type 1, with its size), its payload made up: only its framing matters here. */
    static final byte[] SEQ = {0x0A, 0x0B, 0x00, 0x00, 0x00, 0x24, (byte) 0xC6, (byte) 0xAB, (byte) 0xDF, 0x3E, (byte) 0xFE, 0x24, 0x04};
    static final byte[] TD = {0x12, 0x00};
    /** A frame OBU (type 6) with a 3-byte payload. */
    static final byte[] FRAME = {0x32, 0x03, 1, 2, 3};

    /** A record as FFmpeg writes it: marker and version, then profile/level, tier and colour bits, no delay, OBUs. */
    static byte[] record(int profile, int level, int flags, byte[]... obus) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x81);
        b.write(profile << 5 | level);
        b.write(flags);
        b.write(0);
        for (byte[] o : obus) b.writeBytes(o);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    @Test
    void theRecordGivesProfileLevelTierDepthAndItsSequenceHeader() {
        byte[] r = record(0, 4, 0x0C, SEQ); // Main, level 3.0, main tier, 8-bit, 4:2:0
        Av1Config c = Av1Config.parse(r, 0, r.length);
        assertThat(c.profile()).isZero();
        assertThat(c.level()).isEqualTo(4);
        assertThat(c.highTier()).isFalse();
        assertThat(c.bitDepth()).isEqualTo(8);
        assertThat(c.describe()).isEqualTo("AV1 Main, level 3.0");
        assertThat(c.sequenceHeader()).containsExactly(SEQ);
        assertThat(c.tapConfig()).as("the record as sent, for the muxers").containsExactly(r);
        assertThat(c.trackCodec()).isEqualTo("AV1");

        byte[] tenBit = record(0, 9, 0x80 | 0x40 | 0x0C, SEQ);
        assertThat(Av1Config.parse(tenBit, 0, tenBit.length).describe()).isEqualTo("AV1 Main, high tier, level 4.1, 10-bit");
        byte[] twelve = record(2, 31, 0x60, TD, SEQ);
        Av1Config pro = Av1Config.parse(twelve, 0, twelve.length);
        assertThat(pro.bitDepth()).isEqualTo(12);
        assertThat(pro.describe()).isEqualTo("AV1 Professional, level unconstrained, 12-bit");
        assertThat(pro.sequenceHeader()).as("found after another OBU").containsExactly(SEQ);
    }

    @Test
    void aKeyframeWithoutASequenceHeaderGetsTheRecordsAfterItsTemporalDelimiter() {
        byte[] r = record(0, 4, 0x0C, SEQ);
        Av1Config c = Av1Config.parse(r, 0, r.length);
        byte[] tag = concat(new byte[] {(byte) 0x90, 'a', 'v', '0', '1'}, TD, FRAME);
        assertThat(c.toTapFrame(tag, 5, true)).containsExactly(concat(TD, SEQ, FRAME));
        byte[] bare = concat(new byte[5], FRAME);
        assertThat(c.toTapFrame(bare, 5, true)).containsExactly(concat(SEQ, FRAME));
        assertThat(c.toTapFrame(bare, 5, false)).as("other frames as they are, no copy").isSameAs(bare);
        byte[] withOwn = concat(new byte[5], SEQ, FRAME);
        assertThat(c.toTapFrame(withOwn, 5, true)).as("its own sequence header is kept, no copy").isSameAs(withOwn);
        byte[] lastWithoutSize = concat(new byte[5], TD, new byte[] {0x30, 7, 7, 7});
        assertThat(c.toTapFrame(lastWithoutSize, 5, false)).as("the last OBU may run to the end").isSameAs(lastWithoutSize);
    }

    @Test
    void malformedRecordsAndFramesAreRefused() {
        assertThatThrownBy(() -> Av1Config.parse(new byte[] {(byte) 0x81, 0, 0}, 0, 3)).isInstanceOf(FlvException.class);
        byte[] wrongMarker = record(0, 4, 0, SEQ);
        wrongMarker[0] = 1;
        assertThatThrownBy(() -> Av1Config.parse(wrongMarker, 0, wrongMarker.length)).isInstanceOf(FlvException.class);
        byte[] noSeq = record(0, 4, 0, TD);
        assertThatThrownBy(() -> Av1Config.parse(noSeq, 0, noSeq.length)).hasMessageContaining("sequence header OBU");
        byte[] r = record(0, 4, 0x0C, SEQ);
        Av1Config c = Av1Config.parse(r, 0, r.length);
        assertThat(c.toTapFrame(concat(new byte[5], new byte[] {0x32, 0x09, 1, 2}), 5, false)).as("size past the end").isNull();
        assertThat(c.toTapFrame(concat(new byte[5], new byte[] {(byte) 0xB2, 0x01, 1}), 5, false)).as("forbidden bit").isNull();
        assertThat(c.toTapFrame(new byte[5], 5, true)).as("no OBU at all").isNull();
        assertThat(c.toTapFrame(concat(new byte[5], new byte[] {0x32, (byte) 0x80, (byte) 0x80}), 5, false)).as("size cut short").isNull();
    }

    @Test
    void randomInputNeverThrowsPastTheParser() {
        Random random = new Random(23);
        byte[] r = record(0, 4, 0x0C, SEQ);
        Av1Config c = Av1Config.parse(r, 0, r.length);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(48)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) b[0] = (byte) 0x81;
            try {
                Av1Config.parse(b, 0, b.length);
            } catch (FlvException expected) {
                // refused: fine
            }
            if (b.length >= 5) c.toTapFrame(b, 5, random.nextBoolean());
        }
    }
}
