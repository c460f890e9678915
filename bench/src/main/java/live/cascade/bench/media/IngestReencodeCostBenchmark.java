package live.cascade.bench.media;

import live.cascade.ingest.flv.FlvFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.ingest.video.VideoReencoder;
import org.bytedeco.javacpp.Loader;

/**
 * What the B-frame re-encode ({@code --ingest-bframes reencode}) costs per channel: the bundled FFmpeg writes
 * {@code --seconds} of a moving test pattern ({@code --source}, default {@code testsrc2}) as H.264 with x264's
 * B-frames ({@code -bf 3}, veryfast, a keyframe every 2 s, 30 fps) into FLV, once per size; its video tags then go
 * through {@link VideoReencoder} as an RTMP publish's would, as fast as it keeps up (at most a second of frames
 * ahead of its output). Printed per size: CPU milliseconds per second of video, from the process's CPU time over the
 * run (the decoder, the re-encoder's thread and libx264's own worker threads, which the JVM does not see as threads;
 * nothing else runs meanwhile) and, apart, the re-encoder's Java thread alone; and the real-time factor (seconds of
 * video re-encoded per second of wall clock). The machine's load is printed beside them.
 *
 * <p>Run: {@code bench/run IngestReencodeCostBenchmark --seconds=20 --sizes=1280x720,1920x1080 --rounds=2}.
 */
public final class IngestReencodeCostBenchmark {

    private IngestReencodeCostBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 20);
        int rounds = args.integer("rounds", 2);
        String source = args.text("source", "testsrc2");
        String[] sizes = args.text("sizes", "1280x720,1920x1080").split(",");
        Path dir = Files.createTempDirectory("reencode-cost");
        System.out.printf("IngestReencodeCost: %d s of %s at 30 fps, x264 -bf 3 veryfast in, VideoReencoder out; %s%n",
                seconds, source, LoadAverage.now());
        for (String size : sizes) {
            List<FlvFile.Tag> tags = FlvFile.videoTags(encode(dir.resolve(size + ".flv"), source, size, seconds));
            for (int round = 1; round <= rounds; round++) measure(size, round, tags, seconds);
        }
    }

    private static void measure(String size, int round, List<FlvFile.Tag> tags, int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicInteger out = new AtomicInteger();
        LongAdder bytesOut = new LongAdder();
        LongAdder dropped = new LongAdder();
        VideoReencoder r = null;
        int frames = 0;
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        try {
            for (FlvFile.Tag t : tags) {
                VideoTag v = VideoTag.parse(t.body());
                if (v.packetType() == VideoTag.SEQUENCE_HEADER) {
                    if (r == null) {
                        byte[] avcC = java.util.Arrays.copyOfRange(t.body(), v.dataOffset(), t.body().length);
                        r = new VideoReencoder("bench", avcC, (a, pts, key) -> {
                            bytesOut.add(a.length);
                            out.incrementAndGet();
                        }, dropped);
                    }
                    continue;
                }
                if (v.packetType() != VideoTag.FRAMES || r == null) continue;
                frames++;
                r.offer(t.body(), v.dataOffset(), t.body().length - v.dataOffset(), t.timestamp(), t.timestamp() + v.cts(), v.keyframe());
                while (frames - out.get() > 30) Thread.sleep(1); // at most a second ahead: nothing is dropped
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.get() < frames - 3 && System.nanoTime() < deadline) Thread.sleep(5);
        } finally {
            long wall = System.nanoTime() - wall0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long thread = reencoderThreadCpu(threads);
            if (r != null) r.close();
            double video = frames / 30.0;
            System.out.printf("[figure] re-encode %s round %d: %d frames in, %d out, %d dropped; %.0f ms CPU per second of video "
                            + "(process; the re-encoder's Java thread %.0f ms), real-time factor %.2f (%.1f s of video in %.1f s), "
                            + "output %.0f kbit/s; %s%n",
                    size, round, frames, out.get(), dropped.sum(), cpu / 1e6 / video, thread / 1e6 / video, video / (wall / 1e9),
                    video, wall / 1e9, bytesOut.sum() * 8 / video / 1000, LoadAverage.now());
        }
    }

    /** CPU time of the live re-encoder thread ({@code reencode-bench}), read before it is closed. */
    private static long reencoderThreadCpu(ThreadMXBean threads) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("reencode-bench")) return threads.getThreadCpuTime(t.threadId());
        }
        return -1;
    }

    private static Path encode(Path file, String source, String size, int seconds) throws IOException, InterruptedException {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", source + "=size=" + size + ":rate=30", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-bf", "3", "-g", "60", "-keyint_min", "60",
                "-b:v", size.startsWith("1920") ? "4500k" : "2500k", "-f", "flv", file.toString()).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("ffmpeg failed: " + log);
        return file;
    }
}
