package live.cascade.ingest.srt;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The bundled FFmpeg encoding pictures that this class writes to it 30 times a second, on an absolute schedule,
 * to MPEG-TS over SRT (x264 zero-latency, no B-frames, with AAC as encoders send it): the nanoTime each picture was
 * written, for measuring how long each takes to reach the node's publisher (the n-th video tag is the n-th picture).
 */
final class ScheduledPictures {
    static final int WIDTH = 320, HEIGHT = 180, FPS = 30;

    private ScheduledPictures() {}

    static long[] publish(String url, int seconds) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "warning",
                "-f", "rawvideo", "-pix_fmt", "gray", "-s", WIDTH + "x" + HEIGHT, "-framerate", String.valueOf(FPS), "-i", "-",
                // The tone without -re: FFmpeg's scheduler paces it by the piped pictures. With -re on it and -shortest,
                // FFmpeg 8.1 at times held every packet until its input ended (a 5 s publish arrived at 9.5 s, at once).
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                "-g", String.valueOf(FPS), "-c:a", "aac", "-b:a", "64k", "-shortest", "-f", "mpegts", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        Process process = pb.start();
        long[] written = new long[seconds * FPS];
        byte[] picture = new byte[WIDTH * HEIGHT];
        long period = 1_000_000_000L / FPS;
        long next = System.nanoTime();
        try (OutputStream out = process.getOutputStream()) {
            for (int i = 0; i < written.length; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                // A bar that moves, so every picture is a frame of its own.
                java.util.Arrays.fill(picture, (byte) 16);
                int x0 = (i * 5) % (WIDTH - 32);
                for (int y = 40; y < 140; y++) java.util.Arrays.fill(picture, y * WIDTH + x0, y * WIDTH + x0 + 32, (byte) 235);
                written[i] = System.nanoTime();
                out.write(picture);
                out.flush();
                next += period;
            }
        }
        // What is still in flight arrives within the SRT latency; then FFmpeg has ended with its input.
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        Thread.sleep(500);
        return written;
    }
}
