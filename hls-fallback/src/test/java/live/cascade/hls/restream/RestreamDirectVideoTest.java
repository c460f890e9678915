package live.cascade.hls.restream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import live.cascade.hls.SyntheticSource;
import live.cascade.hls.media.StreamFormat;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restream of an HEVC or AV1 publish (RTMP/SRT, which WebRTC viewers here are not sent) carries the video as it came,
 * as enhanced RTMP: real libx265 access units in Annex B as the tap hands them over (parameter sets in front of
 * keyframes), or real libaom temporal units with their AV1CodecConfigurationRecord, go into a {@link Restreamer}; its
 * FLV (written to a file, FFmpeg's file protocol standing in for RTMP) decodes as that codec at the source's size with
 * every frame, nothing re-encoded.
 */
class RestreamDirectVideoTest {
    @TempDir
    Path tmp;

    @Test
    void hevcIsRestreamedAsEnhancedRtmpFrameForFrame() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx265", 320, 240, 30, 30, 3.0);
        byte[] sets = parameterSets(video.getFirst().data());
        assertThat(sets.length).as("VPS, SPS and PPS in the first keyframe").isGreaterThan(20);
        StreamFormat hevc = new StreamFormat(true, AV_CODEC_ID_HEVC, 320, 240, 0, 0, sets, 90_000, 0, 0, StreamFormat.hevcCodecString(sets));
        assertThat(restream(hevc, video, tmp.resolve("hevc.flv"))).isEqualTo("hevc,320,240," + video.size());
    }

    @Test
    void av1IsRestreamedAsEnhancedRtmpFrameForFrame() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libaom-av1", 320, 240, 30, 30, 3.0);
        byte[] sequenceHeader = sequenceHeaderObu(video.getFirst().data());
        assertThat(sequenceHeader).as("the first keyframe's sequence header OBU").isNotEmpty();
        // As the ingest hands it over: the AV1CodecConfigurationRecord (Main, level 2.0, 8-bit 4:2:0) and its OBU.
        ByteArrayOutputStream av1c = new ByteArrayOutputStream();
        av1c.writeBytes(new byte[] {(byte) 0x81, 0x00, 0x0C, 0x00});
        av1c.writeBytes(sequenceHeader);
        byte[] record = av1c.toByteArray();
        StreamFormat av1 = new StreamFormat(true, AV_CODEC_ID_AV1, 320, 240, 0, 0, record, 90_000, 0, 0, StreamFormat.av1CodecString(record));
        assertThat(restream(av1, video, tmp.resolve("av1.flv"))).isEqualTo("av1,320,240," + video.size());
    }

    /** Sends {@code video} through a Restreamer into {@code out} (FLV); ffprobe's codec, size and decoded frames of it. */
    private static String restream(StreamFormat format, List<SyntheticSource.Coded> video, Path out) throws Exception {
        Restreamer r = new Restreamer(new RestreamDestination(1, out.toString(), "file"), "c", format, 2, null, new RestreamCounters());
        r.start();
        for (SyntheticSource.Coded v : video) {
            r.video(v.data(), v.ticks() * 1_000_000L / 90_000, v.keyframe(), 0);
            Thread.sleep(2);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (r.status().state() != RestreamStatus.State.LIVE && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(r.status().state()).as(String.valueOf(r.status().detail())).isEqualTo(RestreamStatus.State.LIVE);
        Thread.sleep(500); // close() drops what is still queued: let the restreamer write it first
        r.close();
        return run(List.of(ffprobe().toString(), "-v", "error", "-select_streams", "v", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", out.toString())).trim();
    }

    /** The sequence header OBU (type 1) of a temporal unit whose OBUs carry their sizes, or nothing. */
    static byte[] sequenceHeaderObu(byte[] tu) {
        int p = 0;
        while (p < tu.length) {
            int h = tu[p] & 0xFF;
            int q = p + 1 + ((h & 4) != 0 ? 1 : 0);
            long size = 0;
            for (int i = 0; ; i++) {
                int b = tu[q++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) break;
            }
            int end = q + (int) size;
            if (((h >> 3) & 0xF) == 1) return java.util.Arrays.copyOfRange(tu, p, end);
            p = end;
        }
        return new byte[0];
    }

    /** The VPS, SPS and PPS (NAL types 32-34) of an Annex B access unit, as Annex B. */
    static byte[] parameterSets(byte[] au) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = -1;
        for (int i = 0; i + 3 <= au.length; i++) {
            boolean code = au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1;
            if (!code && i + 3 < au.length) continue;
            int end = code ? i : au.length;
            if (start >= 0) {
                while (end > start && au[end - 1] == 0) end--;
                int type = (au[start] >> 1) & 0x3F;
                if (type >= 32 && type <= 34) {
                    out.writeBytes(new byte[] {0, 0, 0, 1});
                    out.write(au, start, end - start);
                }
            }
            if (code) {
                start = i + 3;
                i += 2;
            }
        }
        return out.toByteArray();
    }

    private static Path ffprobe() { return Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class)); }

    private static String run(List<String> cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("LD_LIBRARY_PATH", Path.of(cmd.getFirst()).getParent().toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
