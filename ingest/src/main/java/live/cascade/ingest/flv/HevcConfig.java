package live.cascade.ingest.flv;

import java.io.ByteArrayOutputStream;

/**
 * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1), the body of enhanced RTMP's {@code hvc1} sequence
 * header: the profile, tier and level for the studio, the NAL length size of the frames that follow, and the VPS,
 * SPS and PPS (and any SEI arrays) as Annex B, which a decoder or muxer needs before the first keyframe.
 *
 * @param profile    general_profile_idc (1 Main, 2 Main 10, ...)
 * @param highTier   general_tier_flag
 * @param level      general_level_idc (30 times the level: 93 is 3.1)
 * @param lengthSize bytes of each NAL unit's length prefix in the frames (1, 2 or 4)
 * @param annexB     every parameter-set NAL unit of the record, each after a 4-byte start code
 */
public record HevcConfig(int profile, boolean highTier, int level, int lengthSize, byte[] annexB) implements DirectConfig {
    private static final int VPS = 32;
    private static final int SPS = 33;
    private static final int PPS = 34;

    /** For the studio: {@code HEVC Main, level 3.1}. */
    @Override
    public String describe() {
        String name = switch (profile) {
            case 1 -> "Main";
            case 2 -> "Main 10";
            case 3 -> "Main Still Picture";
            case 4 -> "Range Extensions";
            default -> "profile " + profile;
        };
        String lvl = level % 30 == 0 ? Integer.toString(level / 30) : (level / 30) + "." + (level % 30) / 3;
        return "HEVC " + name + (highTier ? ", high tier" : "") + ", level " + lvl;
    }

    @Override
    public String trackCodec() { return "H265"; }

    @Override
    public String codecName() { return "HEVC"; }

    /** The parameter sets as Annex B: the tap puts them in front of keyframes. */
    @Override
    public byte[] tapConfig() { return annexB; }

    @Override
    public byte[] toTapFrame(byte[] d, int off, boolean keyframe) { return toAnnexB(d, off); }

    /** @throws FlvException when the record is cut short, has another version, or lacks a VPS, SPS or PPS */
    public static HevcConfig parse(byte[] d, int off, int len) {
        int end = off + len;
        if (len < 23) throw new FlvException("HEVC sequence header of " + len + " bytes");
        if (d[off] != 1) throw new FlvException("HEVC configuration version " + d[off]);
        int profile = d[off + 1] & 0x1F;
        boolean highTier = (d[off + 1] & 0x20) != 0;
        int level = d[off + 12] & 0xFF;
        int lengthSize = (d[off + 21] & 3) + 1;
        if (lengthSize == 3) throw new FlvException("NAL length size 3");
        int arrays = d[off + 22] & 0xFF;
        int p = off + 23;
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int seen = 0;
        for (int a = 0; a < arrays; a++) {
            if (p + 3 > end) throw new FlvException("HEVC sequence header cut short");
            int type = d[p] & 0x3F;
            int n = ((d[p + 1] & 0xFF) << 8) | (d[p + 2] & 0xFF);
            p += 3;
            for (int i = 0; i < n; i++) {
                if (p + 2 > end) throw new FlvException("HEVC sequence header cut short");
                int size = ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
                p += 2;
                if (size == 0 || p + size > end) throw new FlvException("HEVC sequence header cut short");
                out.write(0);
                out.write(0);
                out.write(0);
                out.write(1);
                out.write(d, p, size);
                p += size;
                if (type == VPS) seen |= 1;
                else if (type == SPS) seen |= 2;
                else if (type == PPS) seen |= 4;
            }
        }
        if (seen != 7) throw new FlvException("HEVC sequence header without VPS, SPS and PPS");
        return new HevcConfig(profile, highTier, level, lengthSize, out.toByteArray());
    }

    /**
     * Turns the length-prefixed NAL units of a frame into Annex B. With 4-byte lengths (what every encoder sends) the
     * start codes take the lengths' places and {@code d} is changed in place (returned as is: no copy); with 1- or
     * 2-byte lengths a new array is made. Null when a length runs past the end (a malformed frame).
     */
    public byte[] toAnnexB(byte[] d, int off) {
        if (lengthSize == 4) {
            int p = off;
            while (p + 4 <= d.length) {
                int n = ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
                if (n <= 0 || p + 4 + n > d.length) return null;
                d[p] = 0;
                d[p + 1] = 0;
                d[p + 2] = 0;
                d[p + 3] = 1;
                p += 4 + n;
            }
            return p == d.length && p > off ? d : null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + 64);
        int p = off;
        while (p + lengthSize <= d.length) {
            int n = lengthSize == 1 ? d[p] & 0xFF : ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
            p += lengthSize;
            if (n == 0 || p + n > d.length) return null;
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(1);
            out.write(d, p, n);
            p += n;
        }
        return p == d.length && out.size() > 0 ? out.toByteArray() : null;
    }
}
