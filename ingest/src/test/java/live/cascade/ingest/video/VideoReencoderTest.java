package live.cascade.ingest.video;

import live.cascade.ingest.flv.FlvFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.flv.VideoTag;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The B-frame re-encode on real x264 output: the bundled FFmpeg writes 4 s of a 320x240 test pattern as H.264 with two
 * B-frames ({@code -bf 2}, a keyframe a second) into FLV, whose tags go through {@link VideoReencoder} as an RTMP
 * publish's would. What comes out has no B slice, comes in presentation order (timestamps only rise), keeps nearly
 * every frame, and has an IDR where the source had its keyframes.
 */
class VideoReencoderTest {
    record Out(byte[] avcc, long pts, boolean keyframe) {}

    @TempDir
    Path tmp;

    @Test
    void bFramesComeOutAsAStreamWithoutThemInPresentationOrder() throws Exception {
        List<FlvFile.Tag> tags = FlvFile.videoTags(encode(tmp.resolve("bf.flv")));
        byte[] avcC = null;
        List<Long> sourceKeyframes = new ArrayList<>();
        int frames = 0;
        boolean sourceReorders = false;
        List<Out> out = new CopyOnWriteArrayList<>();
        LongAdder dropped = new LongAdder();
        VideoReencoder r = null;
        try {
            for (FlvFile.Tag t : tags) {
                VideoTag v = VideoTag.parse(t.body());
                if (v.packetType() == VideoTag.SEQUENCE_HEADER) {
                    avcC = java.util.Arrays.copyOfRange(t.body(), v.dataOffset(), t.body().length);
                    r = new VideoReencoder("test", avcC, (a, pts, key) -> out.add(new Out(a, pts, key)), dropped);
                    continue;
                }
                if (v.packetType() != VideoTag.FRAMES) continue;
                frames++;
                if (v.cts() != 0) sourceReorders = true;
                if (v.keyframe()) sourceKeyframes.add(t.timestamp() + v.cts());
                r.offer(t.body(), v.dataOffset(), t.body().length - v.dataOffset(), t.timestamp(), t.timestamp() + v.cts(), v.keyframe());
                // Never more than a second ahead of the output (a publisher's pace; a loaded machine may be slower):
                // this test is about what comes out, not about dropping.
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (frames - out.size() > 30 && System.nanoTime() < wait) Thread.sleep(1);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < frames - 3 && System.nanoTime() < deadline) Thread.sleep(20);
        } finally {
            if (r != null) r.close();
        }
        assertThat(avcC).isNotNull();
        assertThat(sourceReorders).as("the source has B-frames (composition offsets)").isTrue();
        assertThat(dropped.sum()).isZero();
        // The decoder holds the last couple of pictures back for reordering; the rest all come out.
        assertThat(out.size()).as("frames out of %s in", frames).isBetween(frames - 3, frames);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).pts()).as("frame %s after %s", i, out.get(i - 1).pts()).isGreaterThan(out.get(i - 1).pts());
        }
        for (Out o : out) {
            for (int type : sliceTypes(o.avcc())) assertThat(type % 5).as("slice type at %s ms", o.pts()).isNotEqualTo(1);
        }
        List<Long> keyframesOut = out.stream().filter(Out::keyframe).map(Out::pts).toList();
        assertThat(keyframesOut).as("IDRs where the source had keyframes").containsExactlyElementsOf(sourceKeyframes);
        assertThat(out.getFirst().avcc()[4] & 0x1F).as("SPS in band first, for the packetizer").isIn(7, 9, 6);
    }

    /** slice_type of each coded slice (NAL types 1 and 5): ue(v) first_mb_in_slice, then ue(v) slice_type. */
    static List<Integer> sliceTypes(byte[] avcc) {
        List<Integer> types = new ArrayList<>();
        for (int p = 0; p + 4 < avcc.length; ) {
            int n = ((avcc[p] & 0xFF) << 24) | ((avcc[p + 1] & 0xFF) << 16) | ((avcc[p + 2] & 0xFF) << 8) | (avcc[p + 3] & 0xFF);
            int type = avcc[p + 4] & 0x1F;
            if (type == 1 || type == 5) {
                BitReader b = new BitReader(avcc, p + 5);
                b.ue();
                types.add(b.ue());
            }
            p += 4 + n;
        }
        return types;
    }

    static final class BitReader {
        final byte[] d;
        int bit;

        BitReader(byte[] d, int byteOffset) {
            this.d = d;
            this.bit = byteOffset * 8;
        }

        int read() {
            int v = (d[bit >> 3] >> (7 - (bit & 7))) & 1;
            bit++;
            return v;
        }

        int ue() {
            int zeros = 0;
            while (read() == 0) zeros++;
            int v = 0;
            for (int i = 0; i < zeros; i++) v = (v << 1) | read();
            return (1 << zeros) - 1 + v;
        }
    }

    private static Path encode(Path file) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "4",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-bf", "2", "-g", "30", "-keyint_min", "30",
                "-threads", "1", "-f", "flv", file.toString()).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return file;
    }
}
