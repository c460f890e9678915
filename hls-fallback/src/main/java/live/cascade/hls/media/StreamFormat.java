package live.cascade.hls.media;

import java.util.Arrays;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;

/**
 * What a muxer needs to know about one stream: codec, picture size or sample rate and channels, codec private data
 * (SPS/PPS, AudioSpecificConfig, OpusHead), and the RFC 6381 codec string an HLS playlist advertises.
 *
 * @param codecId   an {@code AV_CODEC_ID_*}
 * @param clockRate the packets' timestamp unit (90 000 for video, the sample rate for audio)
 * @param bitRate   bits per second, 0 when unknown
 * @param frameSize audio samples per packet (1024 for AAC), 0 for video or variable
 */
public record StreamFormat(boolean video, int codecId, int width, int height, int sampleRate, int channels,
                           byte[] extradata, int clockRate, long bitRate, int frameSize, String codecs) {
    public StreamFormat {
        extradata = extradata == null ? new byte[0] : extradata.clone();
    }

    @Override
    public byte[] extradata() { return extradata.clone(); }

    public StreamFormat withSize(int w, int h) {
        return new StreamFormat(video, codecId, w, h, sampleRate, channels, extradata, clockRate, bitRate, frameSize, codecs);
    }

    public StreamFormat withExtradata(byte[] e) {
        return new StreamFormat(video, codecId, width, height, sampleRate, channels, e, clockRate, bitRate, frameSize, codecs);
    }

    public StreamFormat withCodecs(String c) {
        return new StreamFormat(video, codecId, width, height, sampleRate, channels, extradata, clockRate, bitRate, frameSize, c);
    }

    /**
     * The {@code avc1.PPCCLL} codec string of an H.264 stream from its SPS (profile_idc, constraint flags, level_idc,
     * the three bytes after the NAL header), found in Annex B extradata or an avcC record.
     */
    public static String avcCodecString(byte[] extradata) {
        byte[] e = extradata;
        if (e.length >= 4 && e[0] == 1) return String.format(Locale.ROOT, "avc1.%02x%02x%02x", e[1] & 0xFF, e[2] & 0xFF, e[3] & 0xFF);
        for (int i = 0; i + 3 < e.length; i++) {
            if (e[i] == 0 && e[i + 1] == 0 && e[i + 2] == 1 && i + 6 < e.length && (e[i + 3] & 0x1F) == 7) {
                return String.format(Locale.ROOT, "avc1.%02x%02x%02x", e[i + 4] & 0xFF, e[i + 5] & 0xFF, e[i + 6] & 0xFF);
            }
        }
        return "avc1.42e01f";
    }

    /**
     * The {@code hvc1.…} codec string (ISO/IEC 14496-15 Annex E) of an HEVC stream from the profile_tier_level of its
     * SPS, found in Annex B extradata: profile space and profile, the compatibility flags bit-reversed in hex, tier and
     * level, then the constraint bytes up to the last non-zero one. {@code hvc1.1.6.L93.B0} (Main, level 3.1) when no
     * SPS is found.
     */
    public static String hevcCodecString(byte[] extradata) {
        byte[] e = extradata;
        for (int i = 0; i + 4 < e.length; i++) {
            if (e[i] != 0 || e[i + 1] != 0 || e[i + 2] != 1 || ((e[i + 3] >> 1) & 0x3F) != 33) continue;
            byte[] ptl = unescape(e, i + 5, 15); // after the 2-byte NAL header and the byte of ids and sub-layers
            if (ptl == null) break;
            int space = (ptl[1] >> 6) & 3;
            boolean highTier = (ptl[1] & 0x20) != 0;
            int profile = ptl[1] & 0x1F;
            long compat = ((ptl[2] & 0xFFL) << 24) | ((ptl[3] & 0xFFL) << 16) | ((ptl[4] & 0xFFL) << 8) | (ptl[5] & 0xFFL);
            StringBuilder sb = new StringBuilder("hvc1.");
            if (space > 0) sb.append((char) ('A' + space - 1));
            sb.append(profile).append('.').append(Long.toHexString(Integer.reverse((int) compat) & 0xFFFF_FFFFL).toUpperCase(Locale.ROOT));
            sb.append('.').append(highTier ? 'H' : 'L').append(ptl[12] & 0xFF);
            int last = 11;
            while (last >= 6 && ptl[last] == 0) last--;
            for (int k = 6; k <= last; k++) sb.append('.').append(Integer.toHexString(ptl[k] & 0xFF).toUpperCase(Locale.ROOT));
            return sb.toString();
        }
        return "hvc1.1.6.L93.B0";
    }

    /**
     * The {@code av01.P.LLT.DD} codec string (AV1 in ISOBMFF, "Codecs Parameter String") of an AV1 stream from its
     * AV1CodecConfigurationRecord: seq_profile, seq_level_idx_0 in two digits, the tier ({@code M} or {@code H}) and the
     * bit depth in two digits. {@code av01.0.04M.08} (Main, level 3.0, 8-bit) when the record is missing or not one.
     */
    public static String av1CodecString(byte[] av1c) {
        if (av1c.length < 4 || (av1c[0] & 0xFF) != 0x81) return "av01.0.04M.08";
        int profile = (av1c[1] & 0xFF) >> 5;
        int level = av1c[1] & 0x1F;
        boolean highTier = (av1c[2] & 0x80) != 0;
        boolean highBitDepth = (av1c[2] & 0x40) != 0;
        boolean twelveBit = (av1c[2] & 0x20) != 0;
        int depth = profile == 2 && highBitDepth ? (twelveBit ? 12 : 10) : highBitDepth ? 10 : 8;
        return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", profile, level, highTier ? 'H' : 'M', depth);
    }

    /** How the logs and messages name a video codec id: {@code H.264}, {@code HEVC}, {@code AV1}, {@code VP8}. */
    public static String videoCodecName(int codecId) {
        if (codecId == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264) return "H.264";
        if (codecId == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC) return "HEVC";
        if (codecId == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1) return "AV1";
        return "VP8";
    }

    /** {@code n} bytes of a NAL unit's payload from {@code from}, emulation prevention bytes removed; null when short. */
    private static byte[] unescape(byte[] e, int from, int n) {
        byte[] out = new byte[n];
        int zeros = 0;
        int k = 0;
        for (int i = from; i < e.length && k < n; i++) {
            int b = e[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[k++] = (byte) b;
        }
        return k == n ? out : null;
    }

    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    /**
     * An AAC-LC stream's format from its AudioSpecificConfig (ISO 14496-3 §1.6.2.1), as RTMP's AAC sequence header
     * carries it: 1024-sample frames at the config's rate, timestamps in ticks of that rate. Null for anything the
     * node does not pass through as it is (another object type such as HE-AAC, 960-sample frames, an explicit or
     * unknown rate, more than two channels, or a config too short to read).
     */
    public static StreamFormat aac(byte[] asc) {
        if (asc == null || asc.length < 2) return null;
        int objectType = (asc[0] & 0xFF) >> 3;
        int rateIndex = ((asc[0] & 0x07) << 1) | ((asc[1] & 0xFF) >> 7);
        int channels = (asc[1] >> 3) & 0x0F;
        boolean shortFrames = (asc[1] & 0x04) != 0;
        if (objectType != 2 || rateIndex >= AAC_RATES.length || channels < 1 || channels > 2 || shortFrames) return null;
        int rate = AAC_RATES[rateIndex];
        return new StreamFormat(false, AV_CODEC_ID_AAC, 0, 0, rate, channels, asc, rate, 0, 1024, "mp4a.40.2");
    }

    /** Annex B parameter sets (start code + NAL) from raw SPS and PPS NAL units. */
    public static byte[] annexB(byte[] sps, byte[] pps) {
        byte[] out = new byte[8 + sps.length + pps.length];
        out[3] = 1;
        System.arraycopy(sps, 0, out, 4, sps.length);
        out[4 + sps.length + 3] = 1;
        System.arraycopy(pps, 0, out, 8 + sps.length, pps.length);
        return out;
    }

    /**
     * An OpusHead (RFC 7845 §5.1), the codec private data MP4 and WebM need for Opus: version 1, the channel count,
     * no pre-skip (WebRTC streams start cold), 48 kHz, no gain, mapping family 0.
     */
    public static byte[] opusHead(int channels) {
        byte[] h = Arrays.copyOf("OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 19);
        h[8] = 1;
        h[9] = (byte) channels;
        int rate = 48_000;
        h[12] = (byte) rate;
        h[13] = (byte) (rate >>> 8);
        h[14] = (byte) (rate >>> 16);
        h[15] = (byte) (rate >>> 24);
        return h;
    }
}
