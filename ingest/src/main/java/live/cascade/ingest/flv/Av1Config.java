package live.cascade.ingest.flv;

import java.util.Arrays;

/**
 * An AV1CodecConfigurationRecord (AV1 in ISOBMFF §2.3), the body of enhanced RTMP's {@code av01} sequence header: the
 * profile, level, tier and bit depth for the studio, and the sequence header OBU that decoders and muxers need before
 * the first keyframe. The record as sent is what MP4 (and FLV, for restreams) take as the stream's configuration.
 *
 * @param profile      seq_profile (0 Main, 1 High, 2 Professional)
 * @param level        seq_level_idx_0 (level 2.0 is 0, 3.0 is 4, 31 means no level)
 * @param highTier     seq_tier_0
 * @param bitDepth     8, 10 or 12
 * @param av1c         the whole record, as a muxer's configuration (av1C)
 * @param sequenceHeader the record's sequence header OBU, as it appears in a temporal unit
 */
public record Av1Config(int profile, int level, boolean highTier, int bitDepth, byte[] av1c, byte[] sequenceHeader)
        implements DirectConfig {
    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;

    /** @throws FlvException when the record is cut short, has another marker or version, or carries no sequence header OBU */
    public static Av1Config parse(byte[] d, int off, int len) {
        if (len < 4) throw new FlvException("AV1 sequence header of " + len + " bytes");
        if ((d[off] & 0xFF) != 0x81) throw new FlvException("AV1 configuration marker/version " + (d[off] & 0xFF));
        int profile = (d[off + 1] & 0xFF) >> 5;
        int level = d[off + 1] & 0x1F;
        boolean highTier = (d[off + 2] & 0x80) != 0;
        boolean highBitDepth = (d[off + 2] & 0x40) != 0;
        boolean twelveBit = (d[off + 2] & 0x20) != 0;
        int depth = profile == 2 && highBitDepth ? (twelveBit ? 12 : 10) : highBitDepth ? 10 : 8;
        byte[] av1c = Arrays.copyOfRange(d, off, off + len);
        int seq = Obus.find(av1c, 4, av1c.length, OBU_SEQUENCE_HEADER);
        if (seq < 0) throw new FlvException("AV1 sequence header without a sequence header OBU");
        return new Av1Config(profile, level, highTier, depth, av1c, Arrays.copyOfRange(av1c, seq, Obus.end(av1c, seq, av1c.length)));
    }

    /** For the studio: {@code AV1 Main, level 3.0} (and the tier and bit depth when they are not the common ones). */
    @Override
    public String describe() {
        String name = switch (profile) {
            case 0 -> "Main";
            case 1 -> "High";
            case 2 -> "Professional";
            default -> "profile " + profile;
        };
        String lvl = level == 31 ? "unconstrained" : (2 + (level >> 2)) + "." + (level & 3);
        return "AV1 " + name + (highTier ? ", high tier" : "") + ", level " + lvl + (bitDepth != 8 ? ", " + bitDepth + "-bit" : "");
    }

    @Override
    public String trackCodec() { return "AV1"; }

    @Override
    public String codecName() { return "AV1"; }

    @Override
    public byte[] tapConfig() { return av1c; }

    /**
     * A frame's OBUs (the low-overhead format: every OBU but perhaps the last with its size) checked from {@code off}:
     * null when one runs past the end or has its forbidden bit set. A keyframe without a sequence header OBU of its own
     * gets the record's in front (after a leading temporal delimiter), so every keyframe decodes and starts a segment
     * on its own; any other frame is returned as it is.
     */
    @Override
    public byte[] toTapFrame(byte[] d, int off, boolean keyframe) {
        int units = Obus.count(d, off, d.length);
        if (units <= 0) return null;
        if (!keyframe || Obus.find(d, off, d.length, OBU_SEQUENCE_HEADER) >= 0) return d;
        if ((sequenceHeader[0] & 0x02) == 0) return d; // without its size it cannot stand before other OBUs
        int at = Obus.type(d, off) == OBU_TEMPORAL_DELIMITER ? Obus.end(d, off, d.length) : off;
        byte[] out = new byte[d.length - off + sequenceHeader.length];
        System.arraycopy(d, off, out, 0, at - off);
        System.arraycopy(sequenceHeader, 0, out, at - off, sequenceHeader.length);
        System.arraycopy(d, at, out, at - off + sequenceHeader.length, d.length - at);
        return out;
    }

    /**
     * AV1's open bitstream units (AV1 §5.3): a header byte, an optional extension byte, an optional LEB128 size. Walked
     * without allocating (a frame's OBUs are checked once per frame on the connection's thread).
     */
    static final class Obus {
        private Obus() {}

        /** Where the OBU at {@code p} ends, or -1 when it is malformed or runs past {@code end}. */
        static int end(byte[] d, int p, int end) {
            if (p >= end) return -1;
            int h = d[p] & 0xFF;
            if ((h & 0x80) != 0) return -1; // obu_forbidden_bit
            int q = p + 1 + ((h & 0x04) != 0 ? 1 : 0);
            if (q > end) return -1;
            if ((h & 0x02) == 0) return end; // no size field: it runs to the end
            long size = 0;
            for (int i = 0; ; i++) {
                if (i == 8 || q >= end) return -1;
                int b = d[q++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) break;
            }
            return size > end - q ? -1 : q + (int) size;
        }

        static int type(byte[] d, int p) { return (d[p] >> 3) & 0x0F; }

        /** How many OBUs fill {@code [p, end)} exactly; -1 when they do not. */
        static int count(byte[] d, int p, int end) {
            int n = 0;
            while (p < end) {
                p = end(d, p, end);
                if (p < 0) return -1;
                n++;
            }
            return n;
        }

        /** Where the first OBU of {@code type} in {@code [p, end)} starts, or -1 (also when the OBUs before it are malformed). */
        static int find(byte[] d, int p, int end, int type) {
            while (p < end) {
                int next = end(d, p, end);
                if (next < 0) return -1;
                if (type(d, p) == type) return p;
                p = next;
            }
            return -1;
        }
    }
}
