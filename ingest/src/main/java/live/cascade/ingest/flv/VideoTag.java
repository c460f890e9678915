package live.cascade.ingest.flv;

/**
 * The header of an FLV video tag body (RTMP message type 9): legacy {@code frameType|codecId, AVCPacketType, CTS}, or
 * enhanced RTMP's {@code isExHeader|frameType|packetType, FourCC} (HEVC, AV1, VP9).
 *
 * @param keyframe    frame type 1
 * @param codec       {@code avc1} for legacy AVC, the FourCC for enhanced RTMP, or {@code codec-N} for other legacy ids
 * @param packetType  0 sequence header, 1 coded frames, 2 end of sequence (legacy AVC numbering; enhanced RTMP's
 *                    coded-frames-without-CTS is mapped to 1 with CTS 0)
 * @param cts         composition time offset in milliseconds (PTS - DTS); non-zero only with B-frames
 * @param dataOffset  where the sequence header or the length-prefixed NAL units start
 */
public record VideoTag(boolean keyframe, String codec, int packetType, int cts, int dataOffset) {
    public static final int SEQUENCE_HEADER = 0;
    public static final int FRAMES = 1;
    public static final int END_OF_SEQUENCE = 2;

    public boolean avc() { return codec.equals("avc1"); }

    /** @throws FlvException when the body is too short for its header */
    public static VideoTag parse(byte[] d) {
        if (d.length < 1) throw new FlvException("empty video tag");
        int b0 = d[0] & 0xFF;
        int frameType = (b0 >> 4) & 7;
        if ((b0 & 0x80) != 0) {
            if (d.length < 5) throw new FlvException("enhanced video tag of " + d.length + " bytes");
            int packetType = b0 & 0x0F;
            String fourcc = new String(d, 1, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int mapped = switch (packetType) { case 0 -> SEQUENCE_HEADER; case 1, 3 -> FRAMES; case 2 -> END_OF_SEQUENCE; default -> -1; };
            int cts = 0;
            int data = 5;
            if (packetType == 1 && fourcc.equals("hvc1")) {
                if (d.length < 8) throw new FlvException("enhanced HEVC frame without CTS");
                cts = si24(d, 5);
                data = 8;
            }
            return new VideoTag(frameType == 1, fourcc, mapped, cts, data);
        }
        int codecId = b0 & 0x0F;
        if (codecId != 7) return new VideoTag(frameType == 1, "codec-" + codecId, -1, 0, 1);
        if (d.length < 5) throw new FlvException("AVC video tag of " + d.length + " bytes");
        return new VideoTag(frameType == 1, "avc1", d[1] & 0xFF, si24(d, 2), 5);
    }

    private static int si24(byte[] d, int p) {
        int v = ((d[p] & 0xFF) << 16) | ((d[p + 1] & 0xFF) << 8) | (d[p + 2] & 0xFF);
        return (v << 8) >> 8;
    }
}
