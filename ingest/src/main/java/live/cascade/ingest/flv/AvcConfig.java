package live.cascade.ingest.flv;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO 14496-15 §5.2.4.1), the body of FLV's AVC sequence header: the NAL length
 * size, and the SPS and PPS that a decoder needs before the first keyframe.
 */
public record AvcConfig(int profile, int compatibility, int level, int lengthSize, List<byte[]> sps, List<byte[]> pps) {
    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** RFC 6184's profile-level-id (six hex digits) for the SDP. */
    public String profileLevelId() {
        return HexFormat.of().formatHex(new byte[] {(byte) profile, (byte) compatibility, (byte) level});
    }

    /** @throws FlvException when the record is cut short or names an impossible length size */
    public static AvcConfig parse(byte[] d, int off, int len) {
        int end = off + len;
        if (len < 7) throw new FlvException("AVC sequence header of " + len + " bytes");
        if (d[off] != 1) throw new FlvException("AVC configuration version " + d[off]);
        int profile = d[off + 1] & 0xFF;
        int compat = d[off + 2] & 0xFF;
        int level = d[off + 3] & 0xFF;
        int lengthSize = (d[off + 4] & 3) + 1;
        if (lengthSize == 3) throw new FlvException("NAL length size 3");
        int p = off + 5;
        List<byte[]> sps = new ArrayList<>();
        int n = d[p++] & 0x1F;
        for (int i = 0; i < n; i++) p = unit(d, p, end, sps);
        List<byte[]> pps = new ArrayList<>();
        if (p >= end) throw new FlvException("AVC sequence header without a PPS count");
        n = d[p++] & 0xFF;
        for (int i = 0; i < n; i++) p = unit(d, p, end, pps);
        if (sps.isEmpty() || pps.isEmpty()) throw new FlvException("AVC sequence header without SPS or PPS");
        return new AvcConfig(profile, compat, level, lengthSize, sps, pps);
    }

    private static int unit(byte[] d, int p, int end, List<byte[]> out) {
        if (p + 2 > end) throw new FlvException("AVC sequence header cut short");
        int n = ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
        p += 2;
        if (n == 0 || p + n > end) throw new FlvException("AVC sequence header cut short");
        byte[] u = new byte[n];
        System.arraycopy(d, p, u, 0, n);
        out.add(u);
        return p + n;
    }
}
