package live.cascade.sfu.codec;

import live.cascade.sfu.rtp.BigEndian;

/**
 * Finds the coded picture size in the RTP payload of a keyframe's packets, for ingest statistics:
 * <ul>
 *   <li>H.264: the SPS (single NAL unit, inside a STAP-A, or the first fragment of an FU-A), by {@link SpsParser}.</li>
 *   <li>VP8 (RFC 6386 §9.1): a keyframe's first partition starts with the frame tag, the start code
 *       {@code 9d 01 2a} and two 14-bit little-endian sizes.</li>
 *   <li>VP9 (RFC 9628), best effort: the scalability structure of the payload descriptor, when present, lists each
 *       spatial layer's size; the largest is taken.</li>
 *   <li>Anything else: unknown.</li>
 * </ul>
 * {@link #detect} returns {@code width << 16 | height}, or 0 when the packet does not say. A reusable instance.
 */
public final class ResolutionDetector {
    private final SpsParser sps = new SpsParser();

    public static int width(int packed) { return packed >>> 16; }

    public static int height(int packed) { return packed & 0xFFFF; }

    public int detect(PayloadFormat format, byte[] b, int off, int len) {
        if (!BigEndian.inBounds(b, off, len) || len < 1) return 0;
        return switch (format) {
            case H264 -> h264(b, off, len);
            case VP8 -> vp8(b, off, len);
            case VP9 -> vp9(b, off, len);
            default -> 0;
        };
    }

    private int h264(byte[] b, int off, int len) {
        int type = b[off] & 0x1F;
        if (type == 7) return sps.parse(b, off, len) ? pack(sps.width(), sps.height()) : 0;
        if (type == 24) { // STAP-A
            int pos = off + 1;
            int end = off + len;
            while (end - pos >= 2) {
                int size = BigEndian.u16(b, pos);
                pos += 2;
                if (size == 0 || size > end - pos) return 0;
                if ((b[pos] & 0x1F) == 7) return sps.parse(b, pos, size) ? pack(sps.width(), sps.height()) : 0;
                pos += size;
            }
            return 0;
        }
        if (type == 28 && len >= 3) { // FU-A start of an SPS: the size fields are early, the first fragment suffices
            int fu = b[off + 1] & 0xFF;
            if ((fu & 0x80) != 0 && (fu & 0x1F) == 7) {
                return sps.parseRbsp(b, off + 2, len - 2) ? pack(sps.width(), sps.height()) : 0;
            }
        }
        return 0;
    }

    private static int vp8(byte[] b, int off, int len) {
        int d0 = b[off] & 0xFF;
        if ((d0 & 0x10) == 0 || (d0 & 0x07) != 0) return 0; // not the start of partition 0
        int pos = off + 1;
        int end = off + len;
        if ((d0 & 0x80) != 0) {
            if (pos >= end) return 0;
            int x = b[pos++] & 0xFF;
            if ((x & 0x80) != 0) {
                if (pos >= end) return 0;
                pos += (b[pos] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) pos++;
            if ((x & 0x30) != 0) pos++;
        }
        if (end - pos < 10 || (b[pos] & 0x01) != 0) return 0; // need the keyframe header; P=1 is an inter frame
        if ((b[pos + 3] & 0xFF) != 0x9D || (b[pos + 4] & 0xFF) != 0x01 || (b[pos + 5] & 0xFF) != 0x2A) return 0;
        int w = ((b[pos + 6] & 0xFF) | (b[pos + 7] & 0xFF) << 8) & 0x3FFF;
        int h = ((b[pos + 8] & 0xFF) | (b[pos + 9] & 0xFF) << 8) & 0x3FFF;
        return w > 0 && h > 0 ? pack(w, h) : 0;
    }

    private static int vp9(byte[] b, int off, int len) {
        int d0 = b[off] & 0xFF;
        if ((d0 & 0x02) == 0) return 0; // V: no scalability structure
        int pos = off + 1;
        int end = off + len;
        if ((d0 & 0x80) != 0) { // I: picture id
            if (pos >= end) return 0;
            pos += (b[pos] & 0x80) != 0 ? 2 : 1;
        }
        boolean flexible = (d0 & 0x10) != 0;
        if ((d0 & 0x20) != 0) pos += flexible ? 1 : 2; // L: layer indices (+ TL0PICIDX in non-flexible mode)
        if (flexible && (d0 & 0x40) != 0) { // P and F: up to three reference indices, N bit continues
            for (int k = 0; k < 3; k++) {
                if (pos >= end) return 0;
                if ((b[pos++] & 0x01) == 0) break;
            }
        }
        if (pos >= end) return 0;
        int ss = b[pos++] & 0xFF;
        int layers = (ss >>> 5) + 1;
        if ((ss & 0x10) == 0) return 0; // Y: no sizes
        int best = 0;
        for (int i = 0; i < layers; i++) {
            if (end - pos < 4) return 0;
            int w = BigEndian.u16(b, pos);
            int h = BigEndian.u16(b, pos + 2);
            pos += 4;
            if ((long) w * h > (long) width(best) * height(best)) best = pack(w, h);
        }
        return best;
    }

    private static int pack(int w, int h) { return w << 16 | h; }
}
