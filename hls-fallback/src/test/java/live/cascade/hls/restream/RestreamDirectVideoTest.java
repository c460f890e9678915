package live.cascade.hls.restream;

import static org.assertj.core.api.Assertions.assertThat;
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
 * A restream of an HEVC publish (RTMP/SRT, which WebRTC viewers here are not sent) carries the HEVC as it came, as
 * enhanced RTMP: real libx265 access units in Annex B, as the tap hands them over (parameter sets in front of
 * keyframes), go into a {@link Restreamer}; its FLV (written to a file, FFmpeg's file protocol standing in for RTMP) is
 * HEVC at the source's size with every frame, nothing re-encoded.
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
        Path out = tmp.resolve("restream.flv");
        Restreamer r = new Restreamer(new RestreamDestination(1, out.toString(), "file"), "c", hevc, 2, null, new RestreamCounters());
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

        String probe = run(List.of(ffprobe().toString(), "-v", "error", "-select_streams", "v", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", out.toString()));
        assertThat(probe.trim()).isEqualTo("hevc,320,240," + video.size());
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
