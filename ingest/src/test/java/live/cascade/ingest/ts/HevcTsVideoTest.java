package live.cascade.ingest.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.flv.HevcConfig;
import live.cascade.ingest.flv.VideoTag;
import org.junit.jupiter.api.Test;

/**
 * HEVC from MPEG-TS (SRT) into enhanced-RTMP {@code hvc1} tags: the in-band VPS, SPS and PPS become an
 * HEVCDecoderConfigurationRecord (profile_tier_level copied through its emulation prevention bytes; chroma format, bit
 * depth and sub-layers read past it), frames get 4-byte lengths and their composition offset, and garbage is counted.
 */
class HevcTsVideoTest {
    record Tag(long ms, byte[] body) {}

    final List<Tag> tags = new ArrayList<>();
    final TsToFlv flv = new TsToFlv(new StreamPublisher() {
        @Override public void video(long ts, byte[] tag) { tags.add(new Tag(ts, tag)); }
        @Override public void audio(long ts, byte[] tag) { }
        @Override public void close() { }
    });

    static final byte[] VPS = {0x40, 0x01, 0x0C, 0x01, (byte) 0xFF, (byte) 0xFF, 0x01, 0x60};
    static final byte[] PPS = {0x44, 0x01, (byte) 0xC1, 0x72, (byte) 0xB4, 0x62, 0x40};
    /** Main, main tier, level 3.1: profile space/tier/profile, compatibility flags, constraint flags, level. */
    static final int[] PTL = {0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93};

    /** An SPS: NAL header, ids and sub-layers, the PTL, then {@code rest} as a string of bits, escaped as in a stream. */
    static byte[] sps(int maxSubLayersMinus1, String subLayerBits, String rest) {
        StringBuilder bits = new StringBuilder();
        bits.append(String.format("%8s", Integer.toBinaryString(maxSubLayersMinus1 << 1 | 1)).replace(' ', '0'));
        for (int b : PTL) bits.append(String.format("%8s", Integer.toBinaryString(b)).replace(' ', '0'));
        bits.append(subLayerBits).append(rest).append('1');
        while (bits.length() % 8 != 0) bits.append('0');
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(0x42);
        raw.write(0x01);
        for (int i = 0; i < bits.length(); i += 8) raw.write(Integer.parseInt(bits.substring(i, i + 8), 2));
        return escape(raw.toByteArray());
    }

    /** 4:2:0, 640x360, no conformance window, 8-bit luma and chroma. */
    static final String REST_420_8BIT = "1" + "010" + "000000000" + "1010000001" + "00000000" + "101101001" + "0" + "1" + "1";

    static byte[] escape(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int zeros = 0;
        for (int i = 0; i < raw.length; i++) {
            int v = raw[i] & 0xFF;
            if (zeros >= 2 && v <= 3 && i >= 2) {
                b.write(3);
                zeros = 0;
            }
            b.write(v);
            zeros = v == 0 ? zeros + 1 : 0;
        }
        return b.toByteArray();
    }

    static byte[] annexB(byte[]... units) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] u : units) {
            b.writeBytes(new byte[] {0, 0, 0, 1});
            b.writeBytes(u);
        }
        return b.toByteArray();
    }

    @Test
    void aKeyframeWithParameterSetsBecomesAnHvcSequenceHeaderAndAFrameWithItsCompositionOffset() {
        byte[] sps = sps(0, "", REST_420_8BIT);
        assertThat(sps.length).as("the constraint flags' zeros are escaped").isGreaterThan(2 + 1 + 12 + 8);
        byte[] idr = {0x26, 0x01, (byte) 0xAF, 0x11, 0x22};
        byte[] au = annexB(new byte[] {0x46, 0x01, 0x50}, VPS, sps, PPS, idr);
        flv.hevc(au, au.length, 90_000 + 2 * 3000, 90_000);
        assertThat(tags).hasSize(2);

        byte[] header = tags.get(0).body();
        VideoTag h = VideoTag.parse(header);
        assertThat(h.codec()).isEqualTo("hvc1");
        assertThat(h.packetType()).isEqualTo(VideoTag.SEQUENCE_HEADER);
        HevcConfig c = HevcConfig.parse(header, h.dataOffset(), header.length - h.dataOffset());
        assertThat(c.describe()).isEqualTo("HEVC Main, level 3.1");
        assertThat(c.lengthSize()).isEqualTo(4);
        assertThat(c.annexB()).containsExactly(annexB(VPS, sps, PPS));
        int r = h.dataOffset();
        assertThat(header[r + 6] & 0xFF).as("constraint flags copied unescaped").isEqualTo(0x90);
        assertThat(header[r + 12] & 0xFF).as("level, after the escaped zeros").isEqualTo(93);
        assertThat(header[r + 16] & 0xFF).as("chroma_format_idc 1 (4:2:0)").isEqualTo(0xFD);
        assertThat(header[r + 17] & 0xFF).as("8-bit luma").isEqualTo(0xF8);
        assertThat(header[r + 18] & 0xFF).as("8-bit chroma").isEqualTo(0xF8);
        assertThat(header[r + 21] & 0xFF).as("one temporal layer, nested, 4-byte lengths").isEqualTo(0x0F);

        byte[] frame = tags.get(1).body();
        VideoTag f = VideoTag.parse(frame);
        assertThat(f.codec()).isEqualTo("hvc1");
        assertThat(f.keyframe()).isTrue();
        assertThat(f.packetType()).isEqualTo(VideoTag.FRAMES);
        assertThat(f.cts()).isEqualTo(66);
        assertThat(frame).endsWith(0, 0, 0, 5, 0x26, 0x01, 0xAF, 0x11, 0x22);
        assertThat(c.toAnnexB(frame.clone(), f.dataOffset())).as("the frame's units, no AUD").endsWith(annexB(idr));

        byte[] trail = annexB(new byte[] {0x02, 0x01, 0x55});
        flv.hevc(trail, trail.length, 93_000, 93_000);
        assertThat(tags).hasSize(3);
        VideoTag p = VideoTag.parse(tags.get(2).body());
        assertThat(p.keyframe()).isFalse();
        assertThat(tags.get(2).ms()).isEqualTo(33);
        flv.hevc(au, au.length, 96_000, 96_000);
        assertThat(tags).as("the same parameter sets again: no second sequence header").hasSize(4);
        assertThat(flv.malformed()).isZero();
    }

    @Test
    void subLayersAndTenBitAreReadPastTheProfileTierLevel() {
        // Two sub-layers: sub-layer 0 has a level (8 bits) but no profile; reserved bits for sub-layers 1..7.
        String subLayers = "01" + "00".repeat(7) + "01011101";
        String rest = "1" + "010" + "000000000" + "1010000001" + "00000000" + "101101001" + "0" + "011" + "011";
        byte[] sps = sps(1, subLayers, rest);
        byte[] record = HevcRecord.build(VPS, sps, PPS);
        assertThat(record).isNotNull();
        assertThat(record[16] & 0xFF).isEqualTo(0xFD);
        assertThat(record[17] & 0xFF).as("10-bit luma").isEqualTo(0xFA);
        assertThat(record[18] & 0xFF).as("10-bit chroma").isEqualTo(0xFA);
        assertThat(record[21] & 0xFF).as("two temporal layers, nested").isEqualTo(2 << 3 | 4 | 3);
    }

    @Test
    void garbageIsCountedNeverThrown() {
        Random random = new Random(23);
        byte[] sps = sps(0, "", REST_420_8BIT);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length > 4 && random.nextBoolean()) { b[0] = 0; b[1] = 0; b[2] = 1; }
            if (random.nextInt(4) == 0) {
                byte[] cut = java.util.Arrays.copyOf(sps, random.nextInt(sps.length));
                b = annexB(VPS, cut, PPS, new byte[] {0x26, 0x01, 1});
            }
            flv.hevc(b, b.length, random.nextLong(1L << 33), random.nextLong(1L << 33));
        }
        assertThat(flv.malformed()).isPositive();
        for (Tag t : tags) VideoTag.parse(t.body());
    }
}
