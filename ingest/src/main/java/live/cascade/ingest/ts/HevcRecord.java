package live.cascade.ingest.ts;

import java.io.ByteArrayOutputStream;

/**
 * Builds an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1) from in-band VPS, SPS and PPS, as an MPEG-TS
 * stream carries them: the SPS's general profile_tier_level is copied, and its chroma format, bit depths and sub-layer
 * count read past it (sub-layer profile and level entries skipped), so the record says what an encoder's own would.
 * 4-byte NAL lengths, one array per parameter-set type.
 */
final class HevcRecord {
    private HevcRecord() {}

    /** The record, or null when the SPS is too short or malformed to read. */
    static byte[] build(byte[] vps, byte[] sps, byte[] pps) {
        byte[] rbsp = unescape(sps);
        if (rbsp.length < 15) return null;
        Bits b = new Bits(rbsp, 2 * 8); // after the 2-byte NAL header
        b.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = b.read(3);
        boolean temporalIdNesting = b.read(1) == 1;
        int ptl = b.bytePosition(); // general profile_tier_level: 12 bytes
        b.skip(96);
        int profilePresent = 0, levelPresent = 0;
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (b.read(1) == 1) profilePresent |= 1 << i;
            if (b.read(1) == 1) levelPresent |= 1 << i;
        }
        if (maxSubLayersMinus1 > 0) b.skip(2 * (8 - maxSubLayersMinus1));
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if ((profilePresent & (1 << i)) != 0) b.skip(88);
            if ((levelPresent & (1 << i)) != 0) b.skip(8);
        }
        b.ue(); // sps_seq_parameter_set_id
        int chroma = b.ue();
        if (chroma == 3) b.skip(1);
        b.ue(); // width
        b.ue(); // height
        if (b.read(1) == 1) {
            for (int i = 0; i < 4; i++) b.ue(); // conformance window
        }
        int depthLuma = b.ue();
        int depthChroma = b.ue();
        if (b.overrun() || chroma > 3 || depthLuma > 8 || depthChroma > 8) return null;

        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + vps.length + sps.length + pps.length);
        out.write(1); // configurationVersion
        out.write(rbsp, ptl, 12); // profile space, tier, profile, compatibility flags, constraint flags, level
        out.write(0xF0); // reserved, min_spatial_segmentation_idc 0
        out.write(0);
        out.write(0xFC); // parallelismType unknown
        out.write(0xFC | chroma);
        out.write(0xF8 | depthLuma);
        out.write(0xF8 | depthChroma);
        out.write(0); // avgFrameRate unknown
        out.write(0);
        out.write(((maxSubLayersMinus1 + 1) << 3) | (temporalIdNesting ? 4 : 0) | 3); // 4-byte lengths
        out.write(3);
        array(out, 32, vps);
        array(out, 33, sps);
        array(out, 34, pps);
        return out.toByteArray();
    }

    private static void array(ByteArrayOutputStream out, int type, byte[] unit) {
        out.write(0x80 | type); // array_completeness: no other parameter sets in band are needed
        out.write(0);
        out.write(1);
        out.write(unit.length >>> 8);
        out.write(unit.length);
        out.write(unit, 0, unit.length);
    }

    /** A NAL unit without its emulation prevention bytes. */
    static byte[] unescape(byte[] nal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (byte x : nal) {
            int v = x & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out.write(v);
        }
        return out.toByteArray();
    }

    /** A big-endian bit reader that reads zeros past the end and remembers that it did. */
    private static final class Bits {
        private final byte[] d;
        private long pos;

        Bits(byte[] d, int bitPos) {
            this.d = d;
            this.pos = bitPos;
        }

        int read(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                long byteIndex = pos >> 3;
                int bit = byteIndex < d.length ? (d[(int) byteIndex] >> (7 - (int) (pos & 7))) & 1 : 0;
                v = (v << 1) | bit;
                pos++;
            }
            return v;
        }

        void skip(int n) { pos += n; }

        int bytePosition() { return (int) (pos >> 3); }

        /** Exp-Golomb ue(v); a run of more than 20 zeros (garbage: no field here is that large) reads as a large value and ends in overrun. */
        int ue() {
            int zeros = 0;
            while (read(1) == 0) {
                if (++zeros > 20 || overrun()) {
                    pos = (long) d.length * 8 + 1;
                    return 0;
                }
            }
            return (1 << zeros) - 1 + read(zeros);
        }

        boolean overrun() { return pos > (long) d.length * 8; }
    }
}
