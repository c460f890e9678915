package live.cascade.sfu.codec;

import live.cascade.sfu.rtp.BigEndian;

/**
 * Reads the picture size out of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1): the fields up to
 * {@code frame_cropping}, with exp-Golomb codes read bit by bit over the NAL unit's bytes while skipping emulation
 * prevention bytes ({@code 00 00 03}), so nothing is copied or allocated. A reusable instance; after a successful
 * {@link #parse} the accessors describe that SPS.
 *
 * <p>Width is {@code (pic_width_in_mbs_minus1 + 1) * 16} minus the horizontal crop, height
 * {@code (2 - frame_mbs_only_flag) * (pic_height_in_map_units_minus1 + 1) * 16} minus the vertical crop; crop offsets
 * count in chroma-subsampling units (§7.4.2.1.1, CropUnitX/CropUnitY), which is how 1080p is coded as 1088 lines
 * cropped by 8.
 */
public final class SpsParser {
    private static final int NAL_SPS = 7;

    private byte[] buf;
    private int pos;
    private int end;
    private int current;
    private int bitsLeft;
    private int zeros;
    private boolean overrun;

    private int profileIdc;
    private int levelIdc;
    private int chromaFormatIdc;
    private int width;
    private int height;

    /**
     * Parses the SPS NAL unit at {@code [off, off+len)}, starting with its one-byte NAL header. False when it is not
     * an SPS or ends early; the accessors then keep nothing useful.
     */
    public boolean parse(byte[] b, int off, int len) {
        if (!BigEndian.inBounds(b, off, len) || len < 4 || (b[off] & 0x1F) != NAL_SPS) return false;
        return parseRbsp(b, off + 1, len - 1);
    }

    /** As {@link #parse} for the bytes after the NAL header (a fragmented SPS's first fragment, for instance). */
    public boolean parseRbsp(byte[] b, int off, int len) {
        width = height = 0;
        if (!BigEndian.inBounds(b, off, len) || len < 3) return false;
        buf = b;
        pos = off;
        end = off + len;
        bitsLeft = 0;
        zeros = 0;
        overrun = false;

        profileIdc = bits(8);
        bits(8); // constraint_set flags and reserved bits
        levelIdc = bits(8);
        ue(); // seq_parameter_set_id
        chromaFormatIdc = 1;
        boolean separateColourPlanes = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = ue();
            if (chromaFormatIdc > 3) return false;
            if (chromaFormatIdc == 3) separateColourPlanes = bits(1) == 1;
            ue(); // bit_depth_luma_minus8
            ue(); // bit_depth_chroma_minus8
            bits(1); // qpprime_y_zero_transform_bypass_flag
            if (bits(1) == 1) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists && !overrun; i++) {
                    if (bits(1) == 1) skipScalingList(i < 6 ? 16 : 64);
                }
            }
        }
        ue(); // log2_max_frame_num_minus4
        int pocType = ue();
        if (pocType == 0) {
            ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            bits(1); // delta_pic_order_always_zero_flag
            se(); // offset_for_non_ref_pic
            se(); // offset_for_top_to_bottom_field
            int cycle = ue();
            if (cycle > 255) return false;
            for (int i = 0; i < cycle && !overrun; i++) se();
        } else if (pocType != 2) {
            return false;
        }
        ue(); // max_num_ref_frames
        bits(1); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = ue() + 1;
        int heightInMapUnits = ue() + 1;
        int frameMbsOnly = bits(1);
        if (frameMbsOnly == 0) bits(1); // mb_adaptive_frame_field_flag
        bits(1); // direct_8x8_inference_flag
        int cropLeft = 0;
        int cropRight = 0;
        int cropTop = 0;
        int cropBottom = 0;
        if (bits(1) == 1) {
            cropLeft = ue();
            cropRight = ue();
            cropTop = ue();
            cropBottom = ue();
        }
        if (overrun) return false;
        int chromaArrayType = separateColourPlanes ? 0 : chromaFormatIdc;
        int subWidthC = chromaFormatIdc == 3 ? 1 : 2;
        int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
        int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
        int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (2 - frameMbsOnly);
        long w = (long) widthInMbs * 16 - (long) cropUnitX * (cropLeft + cropRight);
        long h = (long) (2 - frameMbsOnly) * heightInMapUnits * 16 - (long) cropUnitY * (cropTop + cropBottom);
        if (w <= 0 || h <= 0 || w > 0xFFFF || h > 0xFFFF) return false;
        width = (int) w;
        height = (int) h;
        return true;
    }

    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private void skipScalingList(int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && !overrun; j++) {
            if (next != 0) next = (last + se() + 256) % 256;
            if (next != 0) last = next;
        }
    }

    private int bit() {
        if (bitsLeft == 0) {
            if (pos >= end) {
                overrun = true;
                return 0;
            }
            int v = buf[pos++] & 0xFF;
            if (zeros >= 2 && v == 3) { // emulation prevention byte: not part of the RBSP
                zeros = 0;
                if (pos >= end) {
                    overrun = true;
                    return 0;
                }
                v = buf[pos++] & 0xFF;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            current = v;
            bitsLeft = 8;
        }
        bitsLeft--;
        return current >>> bitsLeft & 1;
    }

    private int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) v = v << 1 | bit();
        return v;
    }

    /** Unsigned exp-Golomb; values beyond 2^31 - 2 mark the SPS as unusable. */
    private int ue() {
        int leadingZeros = 0;
        while (bit() == 0) {
            if (overrun || ++leadingZeros > 30) {
                overrun = true;
                return 0;
            }
        }
        return (1 << leadingZeros) - 1 + bits(leadingZeros);
    }

    private int se() {
        int k = ue();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }

    public int profileIdc() { return profileIdc; }

    public int levelIdc() { return levelIdc; }

    public int chromaFormatIdc() { return chromaFormatIdc; }

    public int width() { return width; }

    public int height() { return height; }
}
