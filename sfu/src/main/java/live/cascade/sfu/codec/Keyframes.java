package live.cascade.sfu.codec;

import live.cascade.sfu.rtp.BigEndian;

/**
 * Detects packets that start a keyframe, looking only at the RTP payload. "Start" matters: a viewer that begins
 * forwarding at such a packet gets a decodable picture.
 *
 * <ul>
 *   <li>H.264 (RFC 6184): SPS (7), or an IDR slice (5) with {@code first_mb_in_slice == 0}, as a single NAL unit, inside
 *       a STAP-A, or as the start fragment of an FU-A. Looking at {@code first_mb_in_slice} means a multi-slice IDR
 *       (OBS sends those) is entered at its first slice, not in the middle.</li>
 *   <li>VP8 (RFC 7741): start of partition 0 (S=1, PID=0) whose VP8 payload header has P=0.</li>
 *   <li>VP9 (RFC 9628), best effort: B=1 and P=0, spatial layer 0 when layer indices are present.</li>
 *   <li>AV1, best effort: the N bit of the aggregation header (first packet of a coded video sequence).</li>
 *   <li>H.265 (RFC 7798), best effort: IRAP (16–21) or VPS/SPS, single, in an AP, or FU start.</li>
 *   <li>Audio: every packet. Unknown video formats: every packet, since we cannot tell and must not stall a viewer.</li>
 * </ul>
 * Malformed payloads are simply "not a keyframe".
 */
public final class Keyframes {
    private Keyframes() {}

    public static boolean isKeyframeStart(PayloadFormat format, byte[] buf, int off, int len) {
        if (!BigEndian.inBounds(buf, off, len)) return false;
        return switch (format) {
            case H264 -> h264(buf, off, len);
            case H265 -> h265(buf, off, len);
            case VP8 -> vp8(buf, off, len);
            case VP9 -> vp9(buf, off, len);
            case AV1 -> len >= 1 && (buf[off] & 0x08) != 0;
            case OPUS, OTHER_AUDIO, OTHER_VIDEO -> true;
        };
    }

    private static final int H264_IDR = 5;
    private static final int H264_SPS = 7;
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;

    static boolean h264(byte[] b, int off, int len) {
        if (len < 1) return false;
        int type = b[off] & 0x1F;
        if (type >= 1 && type <= 23) return h264Nal(type, b, off + 1, len - 1);
        if (type == H264_STAP_A) {
            int pos = off + 1;
            int end = off + len;
            while (end - pos >= 2) {
                int size = BigEndian.u16(b, pos);
                pos += 2;
                if (size == 0 || size > end - pos) return false;
                if (h264Nal(b[pos] & 0x1F, b, pos + 1, size - 1)) return true;
                pos += size;
            }
            return false;
        }
        if (type == H264_FU_A) {
            if (len < 2) return false;
            int fuHeader = b[off + 1] & 0xFF;
            boolean start = (fuHeader & 0x80) != 0;
            return start && h264Nal(fuHeader & 0x1F, b, off + 2, len - 2);
        }
        return false;
    }

    /** {@code rest} is what follows the NAL header byte. */
    private static boolean h264Nal(int type, byte[] b, int rest, int restLen) {
        if (type == H264_SPS) return true;
        // first_mb_in_slice is ue(v) and leads the slice header; its value is 0 exactly when the first bit is 1.
        return type == H264_IDR && restLen >= 1 && (b[rest] & 0x80) != 0;
    }

    static boolean h265(byte[] b, int off, int len) {
        if (len < 2) return false;
        int type = (b[off] >>> 1) & 0x3F;
        if (type == 48) { // aggregation packet
            int pos = off + 2;
            int end = off + len;
            while (end - pos >= 2) {
                int size = BigEndian.u16(b, pos);
                pos += 2;
                if (size < 2 || size > end - pos) return false;
                if (h265Nal((b[pos] >>> 1) & 0x3F)) return true;
                pos += size;
            }
            return false;
        }
        if (type == 49) { // fragmentation unit
            if (len < 3) return false;
            int fu = b[off + 2] & 0xFF;
            return (fu & 0x80) != 0 && h265Nal(fu & 0x3F);
        }
        return h265Nal(type);
    }

    private static boolean h265Nal(int type) { return (type >= 16 && type <= 21) || type == 32 || type == 33; }

    static boolean vp8(byte[] b, int off, int len) {
        if (len < 1) return false;
        int d0 = b[off] & 0xFF;
        boolean start = (d0 & 0x10) != 0;
        int partition = d0 & 0x07;
        if (!start || partition != 0) return false;
        int pos = off + 1;
        int end = off + len;
        if ((d0 & 0x80) != 0) {           // X: extension byte follows
            if (pos >= end) return false;
            int x = b[pos++] & 0xFF;
            if ((x & 0x80) != 0) {          // I: picture id, 7 or 15 bits
                if (pos >= end) return false;
                pos += (b[pos] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) pos++;     // L: TL0PICIDX
            if ((x & 0x30) != 0) pos++;     // T or K: TID/Y/KEYIDX
        }
        if (pos >= end) return false;
        return (b[pos] & 0x01) == 0;        // VP8 payload header: P=0 is a key frame
    }

    static boolean vp9(byte[] b, int off, int len) {
        if (len < 1) return false;
        int d0 = b[off] & 0xFF;
        boolean interPicture = (d0 & 0x40) != 0;
        boolean beginsFrame = (d0 & 0x08) != 0;
        if (interPicture || !beginsFrame) return false;
        if ((d0 & 0x20) == 0) return true;  // no layer indices: single layer
        int pos = off + 1;
        int end = off + len;
        if ((d0 & 0x80) != 0) {             // I: picture id
            if (pos >= end) return false;
            pos += (b[pos] & 0x80) != 0 ? 2 : 1;
        }
        if (pos >= end) return false;
        return ((b[pos] >>> 1) & 0x07) == 0; // SID
    }
}
