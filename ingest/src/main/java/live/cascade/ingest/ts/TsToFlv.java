package live.cascade.ingest.ts;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.ingest.StreamPublisher;

/**
 * Turns what an MPEG-TS demuxer yields (H.264 or HEVC access units in Annex B, AAC in ADTS frames, 90 kHz times) into
 * the FLV tags an RTMP publish carries, so an SRT publish enters the same {@link StreamPublisher} path (packetizer, AAC
 * → Opus, B-frame detection; HEVC to HLS and the recording only, as enhanced RTMP's {@code hvc1}) as RTMP without a
 * second copy of it. The AVC sequence header is built from the SPS/PPS found in band, again whenever they change (the
 * HEVC one likewise, by {@link HevcTsVideo}); the AAC one from the first ADTS header. One per publish, on its thread.
 */
public final class TsToFlv {
    private static final int NAL_SPS = 7, NAL_PPS = 8, NAL_AUD = 9, NAL_IDR = 5;
    private final StreamPublisher out;
    private final HevcTsVideo hevc = new HevcTsVideo();
    private long firstDts = Long.MIN_VALUE;
    private byte[] sps, pps;
    private int adtsConfig = -1;
    /** Where the audio continues when a frame comes without a time. */
    private long nextAudioMs;
    private long malformed;

    public TsToFlv(StreamPublisher out) {
        this.out = out;
    }

    /** Frames or ADTS data that could not be read, dropped. */
    public long malformed() { return malformed; }

    /** One H.264 access unit in Annex B with its 90 kHz times ({@code pts} may equal {@code dts}). */
    public void video(byte[] data, int len, long pts90, long dts90) {
        List<int[]> units = nalUnits(data, len);
        if (units.isEmpty()) {
            malformed++;
            return;
        }
        boolean key = false;
        byte[] newSps = sps, newPps = pps;
        ByteArrayOutputStream frame = new ByteArrayOutputStream(len + 16);
        for (int[] u : units) {
            int type = data[u[0]] & 0x1F;
            switch (type) {
                case NAL_SPS -> newSps = Arrays.copyOfRange(data, u[0], u[1]);
                case NAL_PPS -> newPps = Arrays.copyOfRange(data, u[0], u[1]);
                case NAL_AUD -> { /* FLV carries none */ }
                default -> {
                    if (type == NAL_IDR) key = true;
                    TsToFlv.writeLengthPrefixed(frame, data, u[0], u[1]);
                }
            }
        }
        long dtsMs = millis(dts90);
        if (newSps != null && newPps != null && (!Arrays.equals(newSps, sps) || !Arrays.equals(newPps, pps))) {
            sps = newSps;
            pps = newPps;
            out.video(dtsMs, sequenceHeader(sps, pps));
        }
        if (frame.size() == 0) return;
        int cts = (int) Math.max(0, (pts90 - dts90) / 90);
        byte[] tag = new byte[5 + frame.size()];
        tag[0] = (byte) ((key ? 0x10 : 0x20) | 7);
        tag[1] = 1;
        tag[2] = (byte) (cts >>> 16);
        tag[3] = (byte) (cts >>> 8);
        tag[4] = (byte) cts;
        byte[] body = frame.toByteArray();
        System.arraycopy(body, 0, tag, 5, body.length);
        out.video(dtsMs, tag);
    }

    /** One HEVC access unit in Annex B with its 90 kHz times: enhanced-RTMP {@code hvc1} tags. */
    public void hevc(byte[] data, int len, long pts90, long dts90) {
        int cts = (int) Math.min(0x7F_FFFF, Math.max(0, (pts90 - dts90) / 90));
        if (!hevc.video(data, len, millis(dts90), cts, out)) malformed++;
    }

    /** A video stream the node cannot take (see {@link StreamPublisher#unsupportedVideo}). */
    public void unsupportedVideo(String what) {
        out.unsupportedVideo(what);
    }

    /** One or more ADTS frames of AAC with the 90 kHz time of the first, or {@link TsDemuxer#NO_TIME} to continue. */
    public void audio(byte[] data, int len, long pts90) {
        int p = 0;
        long ms = pts90 == TsDemuxer.NO_TIME ? nextAudioMs : millis(pts90);
        while (p + 7 <= len) {
            if ((data[p] & 0xFF) != 0xFF || (data[p + 1] & 0xF6) != 0xF0) {
                malformed++;
                return;
            }
            boolean crc = (data[p + 1] & 1) == 0;
            int profile = (data[p + 2] & 0xC0) >> 6;
            int rateIndex = (data[p + 2] & 0x3C) >> 2;
            int channels = ((data[p + 2] & 1) << 2) | ((data[p + 3] & 0xC0) >> 6);
            int frameLength = ((data[p + 3] & 3) << 11) | ((data[p + 4] & 0xFF) << 3) | ((data[p + 5] & 0xE0) >> 5);
            int header = crc ? 9 : 7;
            if (frameLength < header || p + frameLength > len || rateIndex > 12) {
                malformed++;
                return;
            }
            int config = ((profile + 1) << 11) | (rateIndex << 7) | (channels << 3);
            if (config != adtsConfig) {
                adtsConfig = config;
                out.audio(ms, new byte[] {(byte) 0xAF, 0, (byte) (config >>> 8), (byte) config});
            }
            byte[] tag = new byte[2 + frameLength - header];
            tag[0] = (byte) 0xAF;
            tag[1] = 1;
            System.arraycopy(data, p + header, tag, 2, frameLength - header);
            out.audio(ms, tag);
            ms += 1024_000L / RATES[rateIndex];
            p += frameLength;
        }
        nextAudioMs = ms;
    }

    /** Appends NAL unit {@code data[from, to)} as FLV carries it: a 4-byte big-endian length, then the unit. */
    static void writeLengthPrefixed(ByteArrayOutputStream frame, byte[] data, int from, int to) {
        int n = to - from;
        frame.write(n >>> 24);
        frame.write(n >>> 16);
        frame.write(n >>> 8);
        frame.write(n);
        frame.write(data, from, n);
    }

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    /** Milliseconds since the first video or audio time (90 kHz, 33-bit; earlier times clamp to 0). */
    private long millis(long t90) {
        if (firstDts == Long.MIN_VALUE) firstDts = t90;
        return Math.max(0, (t90 - firstDts) / 90);
    }

    static byte[] sequenceHeader(byte[] sps, byte[] pps) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x17);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(1); // configurationVersion
        b.write(sps.length > 1 ? sps[1] : 0x42); // profile
        b.write(sps.length > 2 ? sps[2] : 0);    // compatibility
        b.write(sps.length > 3 ? sps[3] : 0x1F); // level
        b.write(0xFF); // 4-byte NAL lengths
        b.write(0xE1); // one SPS
        b.write(sps.length >>> 8);
        b.write(sps.length);
        b.write(sps, 0, sps.length);
        b.write(1); // one PPS
        b.write(pps.length >>> 8);
        b.write(pps.length);
        b.write(pps, 0, pps.length);
        return b.toByteArray();
    }

    /** The NAL units of an Annex B buffer as [start, end) pairs, start codes excluded. */
    static List<int[]> nalUnits(byte[] d, int len) {
        List<int[]> units = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 3 <= len) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                if (start >= 0) units.add(new int[] {start, trimZeros(d, start, i)});
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < len) units.add(new int[] {start, len});
        units.removeIf(u -> u[1] <= u[0]);
        return units;
    }

    /** A four-byte start code's leading zero belongs to no unit. */
    private static int trimZeros(byte[] d, int start, int end) {
        while (end > start && d[end - 1] == 0) end--;
        return end;
    }
}
