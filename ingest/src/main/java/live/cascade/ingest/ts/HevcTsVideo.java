package live.cascade.ingest.ts;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import live.cascade.ingest.StreamPublisher;

/**
 * HEVC access units from MPEG-TS (Annex B, parameter sets in band) as the enhanced-RTMP {@code hvc1} tags an RTMP
 * encoder would send, so an SRT publish of HEVC takes the RTMP HEVC path as it is: a sequence header (an
 * HEVCDecoderConfigurationRecord, {@link HevcRecord}) whenever the VPS, SPS or PPS change, then each frame's other NAL
 * units with 4-byte lengths and its composition offset. One per publish, on its thread.
 */
final class HevcTsVideo {
    private static final int VPS = 32, SPS = 33, PPS = 34, AUD = 35;
    private static final byte[] FOURCC = {'h', 'v', 'c', '1'};
    private byte[] vps, sps, pps;

    /** Hands {@code out} the tags of one access unit at {@code dtsMs}; false when it is malformed (nothing sent). */
    boolean video(byte[] data, int len, long dtsMs, int ctsMs, StreamPublisher out) {
        List<int[]> units = TsToFlv.nalUnits(data, len);
        if (units.isEmpty()) return false;
        boolean key = false;
        byte[] newVps = vps, newSps = sps, newPps = pps;
        ByteArrayOutputStream frame = new ByteArrayOutputStream(len + 16);
        frame.write(0x80 | 0x20 | 1); // enhanced, inter frame (set below for keyframes), coded frames with CTS
        frame.writeBytes(FOURCC);
        frame.write(ctsMs >>> 16);
        frame.write(ctsMs >>> 8);
        frame.write(ctsMs);
        for (int[] u : units) {
            if (u[1] - u[0] < 2) return false; // shorter than a NAL header
            int type = (data[u[0]] >> 1) & 0x3F;
            switch (type) {
                case VPS -> newVps = Arrays.copyOfRange(data, u[0], u[1]);
                case SPS -> newSps = Arrays.copyOfRange(data, u[0], u[1]);
                case PPS -> newPps = Arrays.copyOfRange(data, u[0], u[1]);
                case AUD -> { /* FLV carries none */ }
                default -> {
                    if (type >= 16 && type <= 23) key = true; // IRAP: BLA, IDR, CRA
                    TsToFlv.writeLengthPrefixed(frame, data, u[0], u[1]);
                }
            }
        }
        if (newVps != null && newSps != null && newPps != null
                && (!Arrays.equals(newVps, vps) || !Arrays.equals(newSps, sps) || !Arrays.equals(newPps, pps))) {
            byte[] record = HevcRecord.build(newVps, newSps, newPps);
            if (record == null) return false;
            vps = newVps;
            sps = newSps;
            pps = newPps;
            byte[] header = new byte[5 + record.length];
            header[0] = (byte) (0x80 | 0x10); // enhanced, keyframe, sequence start
            System.arraycopy(FOURCC, 0, header, 1, 4);
            System.arraycopy(record, 0, header, 5, record.length);
            out.video(dtsMs, header);
        }
        if (frame.size() == 8) return true; // parameter sets alone
        byte[] tag = frame.toByteArray();
        if (key) tag[0] = (byte) (0x80 | 0x10 | 1);
        out.video(dtsMs, tag);
        return true;
    }
}
